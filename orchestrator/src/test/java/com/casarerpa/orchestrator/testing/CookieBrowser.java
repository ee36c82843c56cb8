package com.casarerpa.orchestrator.testing;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a browser does with redirects and cookies, by hand, for sign-in tests: a plain HTTP client
 * that follows no redirect by itself (the test follows each {@code Location}) and keeps the
 * cookies it is given (by name, with their path; Max-Age=0 removes one), sending each to the
 * paths it belongs to. Its cookies may be read and changed, as an attacker would.
 */
public final class CookieBrowser {
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, HttpCookie> cookies = new LinkedHashMap<>();

    /** One answer. */
    public record Page(int status, URI uri, String body, HttpHeaders headers) {
        public URI location() {
            return uri.resolve(headers.firstValue("Location").orElseThrow(() -> new AssertionError(
                    "no Location in the " + status + " answer to " + uri + ": " + body)));
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + " from " + uri + "): " + body, e);
            }
        }

        public List<String> setCookies() {
            return headers.allValues("Set-Cookie");
        }
    }

    public Page get(String url) {
        return get(URI.create(url));
    }

    public Page get(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String header = cookies.values().stream().filter(c -> path.startsWith(c.getPath() == null ? "/" : c.getPath()))
                .map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));
        if (!header.isEmpty()) {
            b.header("Cookie", header);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : r.headers().allValues("Set-Cookie")) {
                for (HttpCookie c : HttpCookie.parse("Set-Cookie: " + set)) {
                    if (c.getMaxAge() == 0) {
                        cookies.remove(c.getName());
                    } else {
                        cookies.put(c.getName(), c);
                    }
                }
            }
            return new Page(r.statusCode(), uri, r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The cookies held now, by name: their values. */
    public Map<String, String> cookies() {
        return cookies.values().stream().collect(Collectors.toMap(HttpCookie::getName, HttpCookie::getValue, (a, b) -> b,
                LinkedHashMap::new));
    }

    /** Sets (or replaces) a cookie as a script or an attacker might, for {@code path}. */
    public void setCookie(String name, String value, String path) {
        HttpCookie c = new HttpCookie(name, value);
        c.setPath(path);
        cookies.put(name, c);
    }

    public void removeCookie(String name) {
        cookies.remove(name);
    }
}
