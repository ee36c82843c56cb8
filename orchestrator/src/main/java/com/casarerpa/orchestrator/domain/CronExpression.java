package com.casarerpa.orchestrator.domain;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Unix cron expression (five fields: minute hour day-of-month month day-of-week; 0 and 7 are
 * Sunday; names such as MON and JAN; ranges, lists and steps; when both day fields are
 * restricted either one matches) or one of the macros {@code @hourly @daily @midnight @weekly
 * @monthly @yearly @annually}. Parsing is cron-utils' (Unix definition); this class adds the
 * macros, an error that names the wrong field, and daylight-saving rules of its own:
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
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final String[] FIELDS = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    private static final Map<String, String> MACROS = Map.of(
            "@hourly", "0 * * * *",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@weekly", "0 0 * * 0",
            "@monthly", "0 0 1 * *",
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");
    /** More wall-clock candidates than a repeated hour of an every-minute schedule can produce. */
    private static final int MAX_CANDIDATES = 10_000;

    private final String text;
    private final ExecutionTime execution;

    private CronExpression(String text, ExecutionTime execution) {
        this.text = text;
        this.execution = execution;
    }

    /**
     * Parses {@code text}.
     *
     * @throws InvalidCronException naming the field that is wrong, or {@code expression} when the
     *                              shape is wrong or the expression can never fire (30 February)
     */
    public static CronExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidCronException("expression", "is empty; write five fields (minute hour day-of-month month"
                    + " day-of-week), e.g. \"0 9 * * 1-5\", or a macro such as @daily");
        }
        String trimmed = text.strip();
        String fields = trimmed.startsWith("@") ? macro(trimmed) : trimmed;
        String[] parts = fields.split("\\s+");
        if (parts.length != 5) {
            throw new InvalidCronException("expression", "has " + parts.length + " field" + (parts.length == 1 ? "" : "s")
                    + "; a cron expression has five (minute hour day-of-month month day-of-week), e.g. \"0 9 * * 1-5\"");
        }
        Cron cron;
        try {
            cron = PARSER.parse(fields);
        } catch (IllegalArgumentException e) {
            throw wrongField(parts, e);
        }
        CronExpression c = new CronExpression(trimmed, ExecutionTime.forCron(cron));
        if (c.nextWallTime(LocalDateTime.of(2000, 1, 1, 0, 0)).isEmpty()) {
            throw new InvalidCronException("expression", "\"" + trimmed + "\" never fires (no date matches it)");
        }
        return c;
    }

    private static String macro(String text) {
        String fields = MACROS.get(text.toLowerCase(Locale.ROOT));
        if (fields == null) {
            throw new InvalidCronException("expression", "unknown macro " + text + "; the macros are @hourly, @daily,"
                    + " @midnight, @weekly, @monthly, @yearly and @annually");
        }
        return fields;
    }

    /** Finds the first field that fails on its own (the others set to *), so the error can name it. */
    private static InvalidCronException wrongField(String[] parts, IllegalArgumentException e) {
        String reason = e.getMessage() == null ? "not understood" : e.getMessage().replace("Failed to parse cron expression. ", "");
        for (int i = 0; i < parts.length; i++) {
            String[] alone = {"*", "*", "*", "*", "*"};
            alone[i] = parts[i];
            try {
                PARSER.parse(String.join(" ", alone));
            } catch (IllegalArgumentException fieldError) {
                String why = fieldError.getMessage() == null ? reason
                        : fieldError.getMessage().replace("Failed to parse cron expression. ", "");
                return new InvalidCronException(FIELDS[i], FIELDS[i] + " field \"" + parts[i] + "\" is wrong: " + why);
            }
        }
        return new InvalidCronException("expression", reason);
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

    /** The next matching wall-clock time, computed without any zone rules (as if in UTC). */
    private Optional<LocalDateTime> nextWallTime(LocalDateTime after) {
        return execution.nextExecution(after.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
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
