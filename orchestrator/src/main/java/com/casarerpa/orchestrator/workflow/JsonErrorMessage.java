package com.casarerpa.orchestrator.workflow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Jackson's reason a text is not JSON, as one line for the person who wrote the text: without
 * the source excerpt Jackson quotes ({@code [Source: REDACTED (`StreamReadFeature…` disabled);
 * line: 1, column: 1]}), without Java class and feature names, and ending with where:
 * {@code the object opened at line 1, column 1 is not closed at the end of the input (line 1, column 13)}.
 */
final class JsonErrorMessage {
    private static final Pattern QUOTED_LOCATION = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)]");
    private static final Pattern UNCLOSED = Pattern.compile(
            "Unexpected end-of-input: expected close marker for (Object|Array) \\(start marker at (line \\d+, column \\d+)\\)");
    /** A number Java cannot hold: {@code Value "1e999999999" can not be deserialized as `java.math.BigDecimal`, reason: …}. */
    private static final Pattern NOT_A_NUMBER = Pattern.compile("can not be deserialized as `[^`]*`, reason: *");
    /** The limits' getter names: {@code exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)}. */
    private static final Pattern LIMIT_SOURCE = Pattern.compile(", from `[^`]*`");

    private JsonErrorMessage() {}

    /**
     * @param fallback where the parser stood, for the errors that carry no location of their own;
     *                 may be null
     */
    static String of(JsonProcessingException e, JsonLocation fallback) {
        return of(e.getOriginalMessage(), known(e.getLocation()) ? e.getLocation() : fallback);
    }

    /** A number Jackson could not convert ({@link NumberFormatException}), at the parser's location. */
    static String of(NumberFormatException e, JsonLocation location) {
        return of(e.getMessage(), location);
    }

    private static String of(String jacksonMessage, JsonLocation location) {
        String message = QUOTED_LOCATION.matcher(jacksonMessage).replaceAll("line $1, column $2");
        message = UNCLOSED.matcher(message).replaceAll(m -> "the " + m.group(1).toLowerCase(Locale.ROOT) + " opened at "
                + m.group(2) + " is not closed at the end of the input");
        message = NOT_A_NUMBER.matcher(message).replaceAll("is not a number that can be read: ");
        message = LIMIT_SOURCE.matcher(message).replaceAll("");
        return message.replaceAll("\\s+", " ").trim() + at(location);
    }

    /** {@code " (line 3, column 5)"}, or nothing when the location is unknown. */
    static String at(JsonLocation location) {
        return known(location) ? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "";
    }

    private static boolean known(JsonLocation location) {
        return location != null && location.getLineNr() > 0;
    }
}
