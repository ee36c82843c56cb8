package com.casarerpa.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What the database says the schedules did in a window of fire times, read after the run from
 * the tables themselves ({@code schedule_fires}, {@code jobs}), not from what any instance
 * reported: each (schedule, minute) fired once, none early, each started fire's job there once.
 *
 * @param expected    schedules times minutes in the window
 * @param fires       fires recorded with a fire time in the window
 * @param created     of those, fires whose job exists (started, or held by the bound)
 * @param held        of those, fires whose job was held by {@code max_concurrent_schedules} (its history reason)
 * @param skipped     fires recorded as skipped (no job)
 * @param missing     (schedule, minute) pairs of the window with no fire
 * @param early       fires whose {@code fired_at}, or whose job's {@code created_at} (the database's clock), is before the fire time
 * @param doubled     fires beyond one per (schedule, minute), plus schedule jobs beyond one per started fire
 * @param lagP50Ms    {@code fired_at - scheduled_at}, median
 * @param lagP99Ms    99th percentile
 * @param lagMaxMs    the latest fire
 * @param jobsActive  schedule jobs a robot may take now (pending and not held, or running)
 * @param jobsHeld    schedule jobs waiting for the bound
 */
record FireHistory(long expected, long fires, long created, long held, long skipped, long missing, long early, long doubled,
        long lagP50Ms, long lagP99Ms, long lagMaxMs, long jobsActive, long jobsHeld) {

    static FireHistory read(Connection c, Instant first, Instant last, int schedules, int minutes) throws SQLException {
        String window = " WHERE f.scheduled_at BETWEEN ? AND ?";
        long fires = count(c, "SELECT COUNT(*) FROM schedule_fires f" + window, first, last);
        long created = count(c, "SELECT COUNT(*) FROM schedule_fires f JOIN jobs j ON j.id = f.job_id" + window, first, last);
        long held = count(c, "SELECT COUNT(*) FROM schedule_fires f" + window + " AND f.outcome = 'started' AND f.reason IS NOT NULL",
                first, last);
        long skipped = count(c, "SELECT COUNT(*) FROM schedule_fires f" + window + " AND f.outcome = 'skipped'", first, last);
        long pairs = count(c, "SELECT COUNT(*) FROM (SELECT DISTINCT f.schedule_id, f.scheduled_at FROM schedule_fires f" + window
                + ") p", first, last);
        long early = count(c, "SELECT COUNT(*) FROM schedule_fires f LEFT JOIN jobs j ON j.id = f.job_id" + window
                + " AND (f.fired_at < f.scheduled_at OR j.created_at < f.scheduled_at)", first, last);
        long extraJobs = count(c, "SELECT (SELECT COUNT(*) FROM jobs WHERE source = 'schedule')"
                + " - (SELECT COUNT(DISTINCT job_id) FROM schedule_fires WHERE job_id IS NOT NULL)"
                + " + (SELECT COUNT(job_id) - COUNT(DISTINCT job_id) FROM schedule_fires)");
        List<Long> lags = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT CAST(EXTRACT(EPOCH FROM (f.fired_at - f.scheduled_at)) * 1000 AS BIGINT)"
                + " FROM schedule_fires f" + window + " ORDER BY 1")) {
            bind(s, first, last);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    lags.add(rs.getLong(1));
                }
            }
        }
        long active = count(c, "SELECT COUNT(*) FROM jobs WHERE source = 'schedule' AND state IN ('pending', 'assigned', 'running')"
                + " AND held_by IS NULL");
        long waiting = count(c, "SELECT COUNT(*) FROM jobs WHERE source = 'schedule' AND state = 'pending' AND held_by IS NOT NULL");
        long expected = (long) schedules * minutes;
        return new FireHistory(expected, fires, created, held, skipped, expected - pairs, early, fires - pairs + extraJobs,
                percentile(lags, 0.50), percentile(lags, 0.99), lags.isEmpty() ? -1 : lags.getLast(), active, waiting);
    }

    /** Nearest-rank percentile of sorted values; -1 when there are none. */
    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** True when every fire of the window happened exactly once, on time or late, with its job. */
    boolean exact() {
        return fires == expected && created == expected && missing == 0 && early == 0 && doubled == 0 && skipped == 0;
    }

    private static long count(Connection c, String sql, Instant... window) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, window);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement s, Instant... window) throws SQLException {
        for (int i = 0; i < window.length; i++) {
            s.setObject(i + 1, OffsetDateTime.ofInstant(window[i], ZoneOffset.UTC));
        }
    }
}
