package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@code health} and {@code jobs_24h} of workflows in {@code GET /api/v1/workflows} and
 * {@code GET /api/v1/workflows/{id}}, on PostgreSQL and H2: failing streaks, recoveries, the
 * last outcome, and the jobs of the last day, as jobs end.
 */
class WorkflowHealthApiTest {

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {
        private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        /** Runs one job of the workflow to {@code outcome} and dates its end {@code minutesAgo}. */
        private String finish(String outcome, long minutesAgo) {
            String id = submit("");
            if (outcome.equals("cancelled")) {
                assertThat(s.post(JOBS + "/" + id + "/cancel", "").status()).isEqualTo(200);
            } else {
                JobClaims.Claim c = s.claim("robot-health", 1).getFirst();
                assertThat(c.job().id()).isEqualTo(id);
                if (outcome.equals("succeeded")) {
                    s.reports.completed(id, c.lease().token(), "{}");
                } else {
                    s.reports.failed(id, c.lease().token(), "NodeError", "boom", false);
                }
            }
            s.jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET finished_at = :at WHERE id = :id")
                    .bind("at", Jdbi3.ts(at(minutesAgo))).bind("id", id).execute());
            return id;
        }

        private Instant at(long minutesAgo) {
            return now.minus(Duration.ofMinutes(minutesAgo));
        }

        /** The workflow's health as the detail shows it, checked against its item in the listing. */
        private JsonNode health() {
            JsonNode detail = s.get("/api/v1/workflows/" + workflowId).json();
            JsonNode listed = null;
            for (JsonNode w : s.get("/api/v1/workflows?q=" + workflowName).json().get("items")) {
                if (w.get("id").asText().equals(workflowId)) {
                    listed = w;
                }
            }
            assertThat(listed).isNotNull();
            assertThat(listed.get("health")).isEqualTo(detail.get("health"));
            assertThat(listed.get("jobs_24h")).isEqualTo(detail.get("jobs_24h"));
            assertThat(detail.has("workflow_data")).isTrue();
            return detail;
        }

        private static Instant time(JsonNode health, String field) {
            JsonNode v = health.at("/health/" + field);
            return v.isNull() ? null : Instant.parse(v.asText());
        }

        @Test
        void fail_fail_succeed_ends_the_streak_and_sets_recovered_at() {
            JsonNode h = health();
            assertThat(h.at("/health/last_outcome").isNull()).isTrue();
            assertThat(h.at("/health/failing_streak").asLong()).isZero();
            assertThat(time(h, "last_finished_at")).isNull();
            assertThat(time(h, "last_success_at")).isNull();
            assertThat(time(h, "recovered_at")).isNull();
            assertThat(h.at("/jobs_24h/succeeded").asLong()).isZero();

            finish("succeeded", 25 * 60); // a day ago: not in jobs_24h
            finish("failed", 50);
            finish("failed", 40);
            h = health();
            assertThat(h.at("/health/last_outcome").asText()).isEqualTo("failed");
            assertThat(h.at("/health/failing_streak").asLong()).isEqualTo(2);
            assertThat(time(h, "last_finished_at")).isEqualTo(at(40));
            assertThat(time(h, "last_success_at")).isEqualTo(at(25 * 60));
            assertThat(time(h, "recovered_at")).isNull();
            assertThat(h.at("/jobs_24h/succeeded").asLong()).isZero();
            assertThat(h.at("/jobs_24h/failed").asLong()).isEqualTo(2);

            finish("succeeded", 30);
            h = health();
            assertThat(h.at("/health/last_outcome").asText()).isEqualTo("succeeded");
            assertThat(h.at("/health/failing_streak").asLong()).isZero();
            assertThat(time(h, "last_success_at")).isEqualTo(at(30));
            assertThat(time(h, "recovered_at")).isEqualTo(at(30));
            assertThat(h.at("/jobs_24h/succeeded").asLong()).isEqualTo(1);

            // A cancel neither extends nor ends a streak; it is the last outcome all the same.
            finish("failed", 20);
            finish("cancelled", 15);
            h = health();
            assertThat(h.at("/health/last_outcome").asText()).isEqualTo("cancelled");
            assertThat(h.at("/health/failing_streak").asLong()).isEqualTo(1);
            assertThat(time(h, "recovered_at")).isEqualTo(at(30));

            finish("succeeded", 10);
            finish("succeeded", 5);
            h = health();
            assertThat(h.at("/health/failing_streak").asLong()).isZero();
            assertThat(time(h, "recovered_at")).as("the success right after the last failure").isEqualTo(at(10));
            assertThat(time(h, "last_success_at")).isEqualTo(at(5));
            assertThat(h.at("/jobs_24h/succeeded").asLong()).isEqualTo(3);
            assertThat(h.at("/jobs_24h/failed").asLong()).isEqualTo(3);
        }

        @Test
        void a_timed_out_job_counts_as_a_failure() {
            finish("succeeded", 30);
            String id = finish("failed", 20);
            s.jdbi.useHandle(h -> h.execute("UPDATE jobs SET state = 'timed_out' WHERE id = '" + id + "'"));
            JsonNode h = health();
            assertThat(h.at("/health/last_outcome").asText()).isEqualTo("timed_out");
            assertThat(h.at("/health/failing_streak").asLong()).isEqualTo(1);
            assertThat(time(h, "recovered_at")).isNull();
            finish("succeeded", 10);
            assertThat(time(health(), "recovered_at")).isEqualTo(at(10));
        }
    }
}
