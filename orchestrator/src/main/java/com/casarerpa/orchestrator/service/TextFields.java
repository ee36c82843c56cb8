package com.casarerpa.orchestrator.service;

/** Names and descriptions of the access administration: stripped, bounded, 400 naming the field otherwise. */
final class TextFields {
    private TextFields() {}

    /** {@code value} stripped (empty for null), at most {@code max} characters. */
    static String optional(String value, String field, int max) {
        String v = value == null ? "" : value.strip();
        if (v.length() > max) {
            throw new InvalidInputException(field, "at most " + max + " characters, got " + v.length());
        }
        return v;
    }

    /** As {@link #optional}, and not empty. */
    static String required(String value, String field, int max) {
        String v = optional(value, field, max);
        if (v.isEmpty()) {
            throw new InvalidInputException(field, "must be 1 to " + max + " characters");
        }
        return v;
    }
}
