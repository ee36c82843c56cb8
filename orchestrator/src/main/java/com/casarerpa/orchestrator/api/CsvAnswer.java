package com.casarerpa.orchestrator.api;

import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A listing answered as CSV ({@code format=csv}, or {@code Accept: text/csv}): every row of the
 * filter, not a page, streamed as it is written, as an attachment named
 * {@code <name>-<utc time>.csv}. The rows themselves are {@link com.casarerpa.orchestrator.service.Csv}'s.
 */
final class CsvAnswer {
    static final String CSV = "text/csv";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private CsvAnswer() {}

    /** {@code format=csv}, or no format and an {@code Accept} header that names text/csv; 400 on {@code format} for another value than json or csv. */
    static boolean wanted(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null && !format.isEmpty()) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw ApiError.invalidField("format", "must be json or csv, got \"" + format + "\"");
            }
            return format.equals("csv");
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(CSV);
    }

    /** Answers 200 with the CSV that {@code body} writes. */
    static void send(Context ctx, String name, Consumer<Writer> body) {
        ctx.status(200);
        ctx.contentType(CSV + "; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=" + name + "-" + STAMP.format(Instant.now()) + ".csv");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8))) {
            body.accept(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
