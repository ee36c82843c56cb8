package com.casarerpa.orchestrator.cron;

import com.casarerpa.orchestrator.domain.CronExpression;
import com.casarerpa.orchestrator.domain.InvalidCronException;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Unix cron expressions (five fields: minute hour day-of-month month day-of-week; 0 and 7
 * are Sunday; names such as MON and JAN; ranges, lists and steps; when both day fields are
 * restricted either one matches) and the macros {@code @hourly @daily @midnight @weekly
 * @monthly @yearly @annually} into {@link CronExpression}s. Parsing is cron-utils' (Unix
 * definition); this class adds the macros and an error that names the wrong field.
 */
public final class UnixCron {
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

    private UnixCron() {}

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
        ExecutionTime execution = ExecutionTime.forCron(cron);
        CronExpression.WallClock wallClock = after -> execution.nextExecution(after.atZone(ZoneOffset.UTC))
                .map(ZonedDateTime::toLocalDateTime);
        if (wallClock.nextAfter(LocalDateTime.of(2000, 1, 1, 0, 0)).isEmpty()) {
            throw new InvalidCronException("expression", "\"" + trimmed + "\" never fires (no date matches it)");
        }
        return new CronExpression(trimmed, wallClock);
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
}
