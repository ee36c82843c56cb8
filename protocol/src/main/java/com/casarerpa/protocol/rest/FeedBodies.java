package com.casarerpa.protocol.rest;

import java.time.Instant;
import java.util.Map;

/**
 * The {@code data} of the live feed's events ({@code GET /api/v1/events}; schemas
 * {@code FeedChange}, {@code FeedLog}, {@code FeedOverflow}, {@code FeedReset}, {@code FeedEnd} of
 * the OpenAPI document). Absent values are written as {@code null}.
 */
public final class FeedBodies {
    private FeedBodies() {}

    /**
     * {@code event: change}: a job, robot or schedule changed; the changes of one thing within one
     * flush as one, from the first's {@code from} to the last's {@code to}.
     *
     * @param jobId for a schedule fire, the job it started
     */
    public record Change(String kind, String id, String from, String to, String folderId, String jobId, Instant at,
            String instance, boolean remote) {}

    /** {@code event: log}: lines of a job's log were stored; {@code seq} is the id of the newest. */
    public record Log(String jobId, long seq, String folderId, Instant at, String instance, boolean remote) {}

    /** {@code event: overflow}: too many things changed to send one by one; refetch these lists. */
    public record Overflow(Map<String, Integer> kinds) {}

    /** {@code event: reset}: changes were missed ({@code unknown_cursor}, {@code fell_behind}); refetch everything. */
    public record Reset(String reason) {}

    /** {@code event: end}: the feed ends ({@code credentials}: the key or session is no longer valid). */
    public record End(String reason) {}
}
