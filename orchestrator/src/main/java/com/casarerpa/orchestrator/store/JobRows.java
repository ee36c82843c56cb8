package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** How a {@code jobs} row reads as a {@link Job}, and the JSON text columns. */
final class JobRows {
    static final String COLUMNS = "id, workflow_id, workflow_version, state, priority, variables, tags, environment,"
            + " idempotency_key, max_retries, attempt, timeout_seconds, run_after, robot_id, lease_expires_at,"
            + " cancel_reason, progress, result, error_type, error_message, source, created_by, created_at, updated_at,"
            + " started_at, finished_at, folder_id";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private JobRows() {}

    /** Maps a row; {@code requirements} are read separately (they live in job_requirements). */
    static Job map(ResultSet rs, List<String> requirements) throws SQLException {
        return new Job(
                rs.getString("id"),
                rs.getString("workflow_id"),
                rs.getInt("workflow_version"),
                JobState.fromWire(rs.getString("state")).orElseThrow(),
                rs.getInt("priority"),
                rs.getString("variables"),
                requirements,
                strings(rs.getString("tags")),
                Optional.ofNullable(rs.getString("environment")),
                Optional.ofNullable(rs.getString("idempotency_key")),
                rs.getInt("max_retries"),
                rs.getInt("attempt"),
                optionalInt(rs, "timeout_seconds"),
                instant(rs.getObject("run_after")).orElseThrow(),
                Optional.ofNullable(rs.getString("robot_id")),
                instant(rs.getObject("lease_expires_at")),
                Optional.ofNullable(rs.getString("cancel_reason")).flatMap(JobState::fromWire),
                optionalInt(rs, "progress"),
                Optional.ofNullable(rs.getString("result")),
                Optional.ofNullable(rs.getString("error_type")),
                Optional.ofNullable(rs.getString("error_message")),
                rs.getString("source"),
                rs.getString("created_by"),
                instant(rs.getObject("created_at")).orElseThrow(),
                instant(rs.getObject("updated_at")).orElseThrow(),
                instant(rs.getObject("started_at")),
                instant(rs.getObject("finished_at")),
                rs.getString("folder_id"));
    }

    static Job map(ResultSet rs, StatementContext ctx) throws SQLException {
        return map(rs, List.of());
    }

    static String json(List<String> values) {
        try {
            return Json.mapper().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> strings(String json) {
        try {
            return json == null ? List.of() : Json.mapper().readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("jobs.tags is not a JSON array of strings: " + json, e);
        }
    }

    private static Optional<Integer> optionalInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
