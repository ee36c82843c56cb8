package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.JobService;
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

/**
 * {@code GET /api/v1/jobs} as CSV: every job of the filter (no pages), streamed as the export
 * writes it, as an attachment named {@code jobs-<utc time>.csv}.
 */
final class JobCsvAnswer {
    static final String CSV = "text/csv";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private JobCsvAnswer() {}

    /** {@code format=csv}, or no format and an {@code Accept} header that names text/csv. */
    static boolean wanted(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null && !format.isEmpty()) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw ApiError.invalidField("format", "must be json or csv, got \"" + format + "\"");
            }
            return format.equals("csv");
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains(CSV);
    }

    static void send(Context ctx, JobService jobs, JobFilterParams.Asked asked) {
        var filter = jobs.search().resolve(asked.filter(), asked.folder(), Permission.JOB_READ, Callers.of(ctx), "");
        ctx.status(200);
        ctx.contentType(CSV + "; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=jobs-" + STAMP.format(Instant.now()) + ".csv");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8))) {
            jobs.export().write(filter, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
