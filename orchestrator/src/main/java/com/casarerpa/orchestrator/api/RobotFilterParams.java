package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.RobotFilter;
import io.javalin.http.Context;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The filters of {@code GET /api/v1/robots} as the query gives them: {@code status} (repeated, or
 * comma-separated: online, busy, offline, maintenance), {@code capability} and {@code tag}
 * (repeated: every one), {@code q} (part of the id, name or hostname, any case); {@code folder}
 * is read apart, as for the other listings. An empty value is no filter; a bad one is a 400
 * naming its parameter.
 */
final class RobotFilterParams {
    private static final int MAX_VALUES = 20;
    private static final int MAX_CHARS = 200;

    private RobotFilterParams() {}

    static RobotFilter fromQuery(Context ctx) {
        Set<String> statuses = new LinkedHashSet<>();
        for (String raw : ctx.queryParams("status")) {
            for (String name : raw.split(",")) {
                if (!name.isBlank() && !RobotFilter.STATUSES.contains(name.strip())) {
                    throw ApiError.invalidField("status", "unknown robot status \"" + name.strip() + "\"; statuses are "
                            + String.join(", ", RobotFilter.STATUSES));
                }
                if (!name.isBlank()) {
                    statuses.add(name.strip());
                }
            }
        }
        Optional<String> text = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).filter(q -> !q.isEmpty());
        if (text.isPresent() && text.get().length() > MAX_CHARS) {
            throw ApiError.invalidField("q", "is at most " + MAX_CHARS + " characters");
        }
        return new RobotFilter(statuses, values(ctx, "capability"), values(ctx, "tag"), text, List.of());
    }

    /** A repeated parameter's values, each at most {@value #MAX_CHARS} characters, {@value #MAX_VALUES} at most. */
    private static Set<String> values(Context ctx, String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : ctx.queryParams(name)) {
            if (v.length() > MAX_CHARS) {
                throw ApiError.invalidField(name, "a value is at most " + MAX_CHARS + " characters");
            }
            if (!v.isBlank()) {
                out.add(v.strip());
            }
        }
        if (out.size() > MAX_VALUES) {
            throw ApiError.invalidField(name, "at most " + MAX_VALUES + " values");
        }
        return out;
    }
}
