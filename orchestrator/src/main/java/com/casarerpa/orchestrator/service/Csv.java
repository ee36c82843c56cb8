package com.casarerpa.orchestrator.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * CSV as RFC 4180 writes it, for every list the API exports (jobs, robots, audit, …): fields
 * separated by commas, records ended by CRLF, a field quoted (its quotes doubled) when it holds a
 * comma, a quote, CR or LF. A field that a spreadsheet would read as a formula (it starts with
 * {@code =}, {@code +}, {@code -}, {@code @}, a tab or CR) gets a leading apostrophe first
 * (OWASP's advice against CSV injection); null is an empty field.
 */
public final class Csv {
    private Csv() {}

    /** One record. */
    public static void write(Writer out, List<String> fields) {
        try {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(field(fields.get(i)));
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value as a field: null stays null (an empty field), anything else its {@code toString} (an Instant: ISO-8601 UTC). */
    public static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** One field as written. */
    public static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = value;
        char first = v.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
