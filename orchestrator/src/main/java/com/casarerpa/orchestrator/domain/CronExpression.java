package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Unix cron expression (five fields: minute hour day-of-month month day-of-week; 0 and 7 are
 * Sunday; names such as MON and JAN; ranges, lists and steps; when both day fields are
 * restricted either one matches) or one of the macros {@code @hourly @daily @midnight @weekly
 * @monthly @yearly @annually}. Parsing is {@code cron.UnixCron}'s (cron-utils, Unix definition,
 * with the macros and an error that names the wrong field); this class holds the parsed
 * expression's wall-clock rule and adds daylight-saving rules of its own:
 *
 * <ul>
 *   <li>The expression is matched against wall-clock time in the schedule's zone.</li>
 *   <li>A wall time that does not exist (the spring-forward gap) fires once, at the first instant
 *       after the gap. cron-utils would skip it; a job planned for 02:30 must not be lost.</li>
 *   <li>A wall time that exists twice (the repeated hour when clocks go back) fires once, at its
 *       first occurrence.</li>
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class CronExpression {
    /** More wall-clock candidates than a repeated hour of an every-minute schedule can produce. */
    private static final int MAX_CANDIDATES = 10_000;

    /** The matching of a parsed expression on wall-clock time, without any zone rules. */
    @FunctionalInterface
    public interface WallClock {
        /** The next matching wall time strictly after {@code after}; empty when there is none. */
        Optional<LocalDateTime> nextAfter(LocalDateTime after);
    }

    private final String text;
    private final WallClock wallClock;

    /**
     * @param text      the expression as written
     * @param wallClock its matching, from a parser that checked that it fires at all
     */
    public CronExpression(String text, WallClock wallClock) {
        this.text = text;
        this.wallClock = wallClock;
    }

    /** The expression as written (a macro stays a macro). */
    public String text() {
        return text;
    }

    /**
     * The first fire time strictly after {@code after}, in {@code zone}; empty when the expression
     * never fires again (it always does for an expression that parsed, bar the end of time).
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        LocalDateTime wall = after.atZone(zone).toLocalDateTime();
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            Optional<LocalDateTime> candidate = nextWallTime(wall);
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            wall = candidate.get();
            Instant at = instantOf(wall, zone);
            // In the second pass of a repeated hour, wall times map to their first (earlier)
            // occurrence, which has passed: skip them, each wall time fires once.
            if (at.isAfter(after)) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    /** The next {@code count} fire times after {@code after}. */
    public List<Instant> next(Instant after, ZoneId zone, int count) {
        List<Instant> out = new ArrayList<>();
        Instant t = after;
        while (out.size() < count) {
            Optional<Instant> n = nextAfter(t, zone);
            if (n.isEmpty()) {
                break;
            }
            out.add(n.get());
            t = n.get();
        }
        return out;
    }

    private Optional<LocalDateTime> nextWallTime(LocalDateTime after) {
        return wallClock.nextAfter(after);
    }

    /** A wall time in a gap fires when the gap ends; one that exists twice, at its first occurrence. */
    private static Instant instantOf(LocalDateTime wall, ZoneId zone) {
        var rules = zone.getRules();
        var offsets = rules.getValidOffsets(wall);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(wall);
            return gap.getInstant();
        }
        return wall.toInstant(offsets.getFirst());
    }

    @Override
    public String toString() {
        return text;
    }
}
