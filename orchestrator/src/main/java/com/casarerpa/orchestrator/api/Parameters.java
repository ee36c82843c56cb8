package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.workflow.StorableText;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Checks the path and query parameters of every matched request, after authentication and
 * before its handler: each must be valid UTF-8 once percent-decoded, text the database can hold
 * ({@link StorableText}: no NUL, no unpaired surrogate) and at most {@value #MAX_CHARS}
 * characters; otherwise 400 naming the parameter. Query strings are decoded strictly here
 * because the lenient decoding of the framework turns bad bytes into U+FFFD silently; the HTTP
 * server itself refuses a path with {@code %00} or bad UTF-8 before any route sees it.
 */
final class Parameters {
    /** Longer than any id, name or filter value of the API; a URL is at most 8 KB anyway. */
    static final int MAX_CHARS = 1000;

    private Parameters() {}

    static void check(Context ctx) {
        ctx.pathParamMap().forEach(Parameters::checkValue);
        String query = ctx.queryString();
        if (query == null) {
            return;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = decode(rawName, rawName);
            checkValue(name, eq < 0 ? "" : decode(name, pair.substring(eq + 1)));
        }
    }

    private static void checkValue(String name, String value) {
        StorableText.problem(value).ifPresent(problem -> {
            throw ApiError.invalidField(name, problem);
        });
        if (value.length() > MAX_CHARS) {
            throw ApiError.invalidField(name, "at most " + MAX_CHARS + " characters, got " + value.length());
        }
    }

    /** {@code raw} percent-decoded ({@code +} is a space) as strict UTF-8; 400 naming {@code name} when it is not. */
    private static String decode(String name, String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1)) || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                    throw ApiError.invalidField(name, "a % in a query string must be followed by two hex digits");
                }
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c == '+' ? ' ' : c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return StorableText.utf8(bytes.toByteArray()).orElseThrow(() -> ApiError.invalidField(name,
                "not valid UTF-8 once percent-decoded (an encoded surrogate such as %ED%A0%80 is not UTF-8 either)"));
    }
}
