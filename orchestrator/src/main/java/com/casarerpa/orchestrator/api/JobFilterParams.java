package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.JobState;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A job filter as a request gives it: the query parameters of {@code GET /api/v1/jobs} (and of
 * its CSV), or the {@code filter} object of {@code POST /api/v1/jobs/bulk}, with the same names:
 * {@code state} (repeated, or comma-separated), {@code workflow_id}, {@code robot_id}, {@code tag}
 * (repeated: every one), {@code q}, {@code since}, {@code until}, {@code error_signature}; and
 * {@code folder}, which is kept apart (the service resolves it for the caller). An empty value is
 * no filter (a form's empty field); a bad one is a 400 naming its field ({@code filter.state} in a
 * body).
 */
final class JobFilterParams {
    static final Set<String> FIELDS = Set.of("state", "workflow_id", "robot_id", "tag", "q", "since", "until", "folder",
            "error_signature");
    private static final int MAX_TAGS = 20;

    private JobFilterParams() {}

    /** A filter and the folder it names. */
    record Asked(JobFilter filter, Optional<String> folder) {}

    static Asked fromQuery(Context ctx) {
        return build("", ctx.queryParams("state"), text(ctx.queryParam("workflow_id")), text(ctx.queryParam("robot_id")),
                ctx.queryParams("tag"), text(ctx.queryParam("q")), RequestBodies.instantParam(ctx, "since"),
                RequestBodies.instantParam(ctx, "until"), text(ctx.queryParam("error_signature")),
                Optional.ofNullable(ctx.queryParam("folder")).filter(f -> !f.isBlank()));
    }

    /** The {@code filter} object of a body, at {@code at} ({@code "filter"}); absent or null is every job. */
    static Asked fromBody(JsonNode filter, String at) {
        if (filter == null || filter.isNull()) {
            return new Asked(JobFilter.all(), Optional.empty());
        }
        if (!filter.isObject()) {
            throw ApiError.invalidField(at, "must be an object with any of " + FIELDS.stream().sorted().toList());
        }
        filter.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw ApiError.invalidField(at + "." + f, "unknown field; a filter takes " + FIELDS.stream().sorted().toList());
            }
        });
        String p = at + ".";
        return build(p, strings(filter, p, "state"), string(filter, p, "workflow_id"), string(filter, p, "robot_id"),
                strings(filter, p, "tag"), string(filter, p, "q"), instant(filter, p, "since"), instant(filter, p, "until"),
                string(filter, p, "error_signature"), string(filter, p, "folder"));
    }

    private static Asked build(String p, List<String> stateNames, Optional<String> workflow, Optional<String> robot,
            List<String> tags, Optional<String> q, Optional<Instant> since, Optional<Instant> until, Optional<String> signature,
            Optional<String> folder) {
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        for (String raw : stateNames) {
            for (String name : raw.split(",")) {
                if (!name.isBlank()) {
                    states.add(JobState.fromWire(name.strip()).orElseThrow(() -> ApiError.invalidField(p + "state",
                            "unknown state \"" + name.strip() + "\"; states are pending, assigned, running, succeeded, failed,"
                                    + " cancelled, timed_out")));
                }
            }
        }
        Set<String> tagSet = new LinkedHashSet<>();
        for (String t : tags) {
            if (t.length() > 200) {
                throw ApiError.invalidField(p + "tag", "a tag is at most 200 characters");
            }
            if (!t.isBlank()) {
                tagSet.add(t.strip());
            }
        }
        if (tagSet.size() > MAX_TAGS) {
            throw ApiError.invalidField(p + "tag", "at most " + MAX_TAGS + " tags");
        }
        if (since.isPresent() && until.isPresent() && !until.get().isAfter(since.get())) {
            throw ApiError.invalidField(p + "until", "must be after since");
        }
        JobFilter filter = new JobFilter(states, workflow, robot, since, until).withTags(tagSet).withErrorSignature(signature)
                .withText(q.map(v -> new JobFilter.Text(v, List.of())));
        return new Asked(filter, folder);
    }

    private static Optional<String> text(String raw) {
        return Optional.ofNullable(raw).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Optional<String> string(JsonNode body, String p, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiError.invalidField(p + field, "must be a string");
        }
        return text(v.asText());
    }

    /** A string or an array of strings. */
    private static List<String> strings(JsonNode body, String p, String field) {
        JsonNode v = body.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw ApiError.invalidField(p + field, "must be a string or an array of strings");
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiError.invalidField(p + field, "must be a string or an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static Optional<Instant> instant(JsonNode body, String p, String field) {
        return string(body, p, field).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiError.invalidField(p + field, "expected an ISO-8601 instant such as 2026-11-27T00:00:00Z, got \"" + text + "\"");
            }
        });
    }
}
