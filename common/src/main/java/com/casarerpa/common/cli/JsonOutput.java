package com.casarerpa.common.cli;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;

/** What {@code --json} prints: the wire's JSON (snake_case, ISO-8601 times), indented for people too. */
public final class JsonOutput {
    private JsonOutput() {}

    public static void print(PrintWriter out, Object value) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON output: " + e.getOriginalMessage(), e);
        }
    }
}
