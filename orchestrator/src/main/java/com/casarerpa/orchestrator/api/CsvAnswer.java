package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageCursor;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.service.Csv;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A listing answered as CSV ({@code format=csv}, or {@code Accept: text/csv}): every row of the
 * filter, not a page, streamed as it is written, as an attachment named
 * {@code <name>-<utc time>.csv}. The records themselves are {@link Csv}'s.
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

    /** Answers {@code items}, a header of {@code columns} first. */
    static <T> void send(Context ctx, String name, List<String> columns, List<T> items, Function<T, List<String>> row) {
        send(ctx, name, out -> {
            Csv.write(out, columns);
            items.forEach(item -> Csv.write(out, row.apply(item)));
        });
    }

    /**
     * Answers every page of a keyset listing, {@value PageRequest#MAX_LIMIT} items at a time, each
     * written before the next is read. The first page is read before the answer starts, so a bad
     * filter (an unknown folder) is still a 400.
     */
    static <T> void sendPages(Context ctx, String name, List<String> columns, Function<PageRequest, Page<T>> read,
            Function<T, List<String>> row) {
        Page<T> first = read.apply(PageRequest.first(PageRequest.MAX_LIMIT));
        send(ctx, name, out -> {
            Csv.write(out, columns);
            Page<T> page = first;
            while (true) {
                page.items().forEach(item -> Csv.write(out, row.apply(item)));
                if (page.nextCursor() == null) {
                    return;
                }
                page = read.apply(new PageRequest(PageRequest.MAX_LIMIT, Optional.of(PageCursor.decode(page.nextCursor()))));
            }
        });
    }
}
