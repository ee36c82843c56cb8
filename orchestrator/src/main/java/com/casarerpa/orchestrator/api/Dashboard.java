package com.casarerpa.orchestrator.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The web dashboard (docs/dashboard.md): the static files of the jar's {@value #DIRECTORY}
 * directory at {@code /}, the pinned libraries of its webjars at {@code /webjars/…}, and the
 * page itself for every deep link of the dashboard ({@code /jobs/job_…}, {@code /robots}, …), so
 * a link opened in a new tab lands on its page. None of this needs credentials: it is code, not
 * data; the page reads everything through the REST API, whose routes all do.
 *
 * <p>Every file is sent with a Content-Security-Policy that allows scripts, styles and
 * connections from this origin only, no inline script or style, and no framing.
 */
public final class Dashboard {
    static final String DIRECTORY = "/dashboard";
    static final String INDEX = DIRECTORY + "/index.html";
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " frame-ancestors 'none'; form-action 'self'";
    /** The first path segments of the dashboard's pages (its router's, in assets/lib/router.js). */
    static final Set<String> PAGES = Set.of("signin", "robots", "jobs", "failures", "stuck", "batches", "workflows", "schedules",
            "webhooks", "people", "groups", "folders", "keys", "audit");
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "same-origin",
            // Revalidated each time (ETag): a new version of the orchestrator shows its new page at once.
            "Cache-Control", "no-cache");

    private Dashboard() {}

    /**
     * @param sources the dashboard's directory in the source tree ({@code start --reload}): its files
     *                are read at each request, so an edit shows on a browser reload; empty: the jar's
     */
    static void configure(JavalinConfig config, Optional<Path> sources) {
        Supplier<byte[]> index = sources.<Supplier<byte[]>>map(dir -> () -> readFile(dir.resolve("index.html")))
                .orElseGet(() -> {
                    byte[] packaged = read(INDEX);
                    return () -> packaged;
                });
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = sources.map(Path::toString).orElse(DIRECTORY);
            files.location = sources.isPresent() ? Location.EXTERNAL : Location.CLASSPATH;
            files.headers = HEADERS;
            // From the jar: compressed once, then served from memory (the largest file is well under this).
            files.precompressMaxSize = sources.isPresent() ? 0 : 1024 * 1024;
            files.roles = Set.of(Access.PUBLIC);
        });
        config.staticFiles.add(files -> {
            files.hostedPath = "/webjars";
            files.directory = "META-INF/resources/webjars";
            files.location = Location.CLASSPATH;
            // Their paths carry their versions: kept a year.
            files.headers = Map.of("Cache-Control", "public, max-age=31536000, immutable");
            files.precompressMaxSize = 1024 * 1024;
            files.roles = Set.of(Access.PUBLIC);
        });
        config.spaRoot.addHandler("/", ctx -> page(ctx, index.get()));
    }

    /** True for a path of one of the dashboard's pages (what {@link #page} answers with the page). */
    private static boolean isPage(Context ctx) {
        return PAGES.contains(ctx.path().substring(1).split("/", 2)[0]);
    }

    /** A browser's navigation to a path no route and no file answered: the page for a deep link, else the usual 404. */
    private static void page(Context ctx, byte[] index) {
        if (!isPage(ctx)) {
            ctx.status(404);
            return;
        }
        HEADERS.forEach(ctx::header);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(index);
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
