package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Failure groups and stuck jobs, on PostgreSQL and H2. */
class JobInsightApiTest {

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {

        /** Submits one job per error (no retries) and fails each with it: {type, message}. */
        List<String> failedWith(String workflow, String[]... errors) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < errors.length; i++) {
                ids.add(s.submitted("{\"workflow_id\":\"" + workflow + "\",\"max_retries\":0}").get("id").asText());
            }
            Map<String, String[]> byId = new HashMap<>();
            for (int i = 0; i < errors.length; i++) {
                byId.put(ids.get(i), errors[i]);
            }
            for (JobClaims.Claim c : s.claim("robot-failing", 100)) {
                String[] e = byId.get(c.job().id());
                s.reports.failed(c.job().id(), c.lease().token(), e[0], e[1]);
            }
            return ids;
        }

        static String[] error(String type, String message) {
            return new String[] {type, message};
        }

        @Test
        void failures_differing_only_by_a_number_group_together_and_other_types_do_not() {
            String other = s.deploy("other-" + workflowName);
            List<String> mine = failedWith(workflowId, error("NodeError", "timeout after 30 ms"),
                    error("NodeError", "timeout after 4500 ms"), error("NodeError", "file 'a.csv' not found"));
            List<String> theirs = failedWith(other, error("NodeError", "timeout after 12 ms"), error("HttpError", "timeout after 30 ms"));
            submit("");

            JsonNode groups = s.get(JOBS + "/failure-groups").json().get("items");
            assertThat(groups).hasSize(3);
            JsonNode timeouts = groups.get(0);
            assertThat(timeouts.get("count").asInt()).isEqualTo(3);
            assertThat(timeouts.get("error_type").asText()).isEqualTo("NodeError");
            assertThat(timeouts.get("message_pattern").asText()).isEqualTo("timeout after <n> ms");
            assertThat(timeouts.get("signature").asText()).matches("[0-9a-f]{16}");
            assertThat(timeouts.get("sample_job_id").asText()).isIn(mine.get(0), mine.get(1), theirs.get(0));
            assertThat(timeouts.get("first_at").asText()).endsWith("Z");
            assertThat(timeouts.get("last_at").asText()).endsWith("Z");
            List<String> workflows = new ArrayList<>();
            timeouts.get("workflows").forEach(w -> workflows.add(w.get("id").asText() + " " + w.get("name").asText()));
            assertThat(workflows).containsExactlyInAnyOrder(workflowId + " " + workflowName, other + " other-" + workflowName);
            List<String> rest = new ArrayList<>();
            groups.forEach(g -> rest.add(g.get("error_type").asText() + ": " + g.get("message_pattern").asText() + " x"
                    + g.get("count").asInt()));
            assertThat(rest).containsExactly("NodeError: timeout after <n> ms x3", rest.get(1), rest.get(2));
            assertThat(rest.subList(1, 3)).containsExactlyInAnyOrder("NodeError: file <q> not found x1",
                    "HttpError: timeout after <n> ms x1");

            String signature = timeouts.get("signature").asText();
            assertThat(JobApiServer.ids(s.get(JOBS + "?error_signature=" + signature)))
                    .containsExactlyInAnyOrder(mine.get(0), mine.get(1), theirs.get(0));
            assertThat(s.job(mine.get(0)).get("error_signature").asText()).isEqualTo(signature);
            assertThat(s.get(JOBS + "/failure-groups?workflow_id=" + other).json().get("items")).hasSize(2);
            assertThat(s.get(JOBS + "/failure-groups?limit=1").json().get("items")).hasSize(1);
            String future = Instant.now().plusSeconds(3600).toString();
            assertThat(s.get(JOBS + "/failure-groups?since=" + future).json().get("items")).isEmpty();
        }

        @Test
        void every_failure_group_comes_as_csv_largest_first_past_one_statement_of_signatures() {
            // 502 failures of 501 signatures: more than one statement's 500 (FailureGroupQueries.CHUNK).
            StringBuilder batch = new StringBuilder("{\"jobs\":[");
            for (int i = 0; i < 502; i++) {
                batch.append(i == 0 ? "" : ",").append(job(",\"max_retries\":0"));
            }
            assertThat(s.post(JOBS + "/batch", batch.append("]}").toString()).status()).isEqualTo(201);
            int failed = 0;
            for (List<JobClaims.Claim> claims = s.claim("robot-csv", 100); !claims.isEmpty(); claims = s.claim("robot-csv", 100)) {
                for (JobClaims.Claim c : claims) {
                    // Letters only: digits would be folded into <n> and the groups merged.
                    String word = failed <= 1 ? "same" : Integer.toString(failed, 26).chars()
                            .mapToObj(ch -> String.valueOf((char) (Character.digit(ch, 26) + 'a'))).reduce("", String::concat);
                    s.reports.failed(c.job().id(), c.lease().token(), failed == 2 ? "=cmd" : "NodeError", "field " + word + " is missing");
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(502);

            Http.Response csv = s.get(JOBS + "/failure-groups?format=csv&limit=1");
            assertThat(csv.status()).as(csv.body()).isEqualTo(200);
            assertThat(csv.header("Content-Type")).startsWith("text/csv");
            assertThat(csv.header("Content-Disposition")).startsWith("attachment; filename=failure-groups-").endsWith(".csv");
            List<String> lines = csv.body().lines().toList();
            assertThat(lines.getFirst()).isEqualTo(String.join(",", JobInsightRoutes.FAILURE_GROUP_COLUMNS));
            assertThat(lines).as("every group, not limit=1, nor 500").hasSize(1 + 501);
            assertThat(lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).distinct()).hasSize(501);
            assertThat(lines.get(1)).matches("[0-9a-f]{16},NodeError,field same is missing,2,[^,]+Z,[^,]+Z,job_[^,]+,"
                    + workflowId + "," + workflowName);
            assertThat(lines).as("a cell a spreadsheet would run is defused").anyMatch(l -> l.contains(",'=cmd,field "));
            assertThat(s.get(JOBS + "/failure-groups?limit=1").json().get("items")).as("JSON keeps its limit").hasSize(1);

            String now = Instant.now().toString();
            Http.Response empty = s.get(JOBS + "/failure-groups?format=csv&since=" + now + "&until=" + now);
            assertThat(empty.status()).as("a bad filter is refused before the answer starts").isEqualTo(400);
            assertThat(empty.json().at("/error/details/field").asText()).isEqualTo("until");
            assertThat(s.get(JOBS + "/failure-groups?format=csv&folder=Default/nowhere").json().at("/error/details/field").asText())
                    .isEqualTo("folder");
        }

        @Test
        void failures_from_before_signatures_existed_are_signed_when_first_read() {
            List<String> ids = failedWith(workflowId, error("NodeError", "row 7 is bad"), error("NodeError", "row 9 is bad"));
            // As V23 leaves the failures it found: marked, not signed.
            s.jdbi.useHandle(h -> h.execute("UPDATE jobs SET error_signature = '?' WHERE state = 'failed'"));

            JsonNode groups = s.get(JOBS + "/failure-groups").json().get("items");
            assertThat(groups).hasSize(1);
            assertThat(groups.at("/0/count").asInt()).isEqualTo(2);
            assertThat((int) s.jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs WHERE error_signature = '?'")
                    .mapTo(Integer.class).one())).isZero();
            assertThat(JobApiServer.ids(s.get(JOBS + "?error_signature=" + groups.at("/0/signature").asText())))
                    .containsExactlyInAnyOrderElementsOf(ids);
        }

        @Test
        void a_running_job_quiet_for_longer_than_asked_is_stuck_and_one_that_logged_is_not() {
            String quiet = submit("");
            String logging = submit("");
            String fresh = submit("");
            for (JobClaims.Claim c : s.claim("robot-quiet", 3)) {
                s.reports.started(c.job().id(), c.lease().token());
            }
            Instant tenMinutesAgo = Instant.now().minusSeconds(600);
            s.jdbi.useHandle(h -> {
                h.createUpdate("UPDATE jobs SET started_at = :t, updated_at = :t WHERE id IN (<ids>)")
                        .bind("t", Jdbi3.ts(tenMinutesAgo)).bindList("ids", List.of(quiet, logging)).execute();
                h.createUpdate("INSERT INTO job_logs (job_id, attempt, logged_at, level, message) VALUES (:job, 1, :at, 'info', 'x')")
                        .bind("job", logging).bind("at", Jdbi3.ts(Instant.now())).execute();
            });

            JsonNode stuck = s.get(JOBS + "/stuck?quiet_seconds=300").json();
            assertThat(stuck.get("quiet_seconds").asInt()).isEqualTo(300);
            assertThat(JobApiServer.ids(s.get(JOBS + "/stuck"))).as("300 s by default").containsExactly(quiet)
                    .doesNotContain(logging, fresh);
            assertThat(stuck.get("items")).hasSize(1);
            JsonNode item = stuck.at("/items/0");
            assertThat(item.get("id").asText()).isEqualTo(quiet);
            assertThat(item.get("workflow_name").asText()).isEqualTo(workflowName);
            assertThat(item.get("robot_id").asText()).isEqualTo("robot-quiet");
            assertThat(item.get("quiet_seconds").asLong()).isBetween(590L, 900L);
            assertThat(item.get("robot_silent").asBoolean()).as("no such robot row: no heartbeat").isTrue();
            assertThat(item.at("/folder/path").asText()).isEqualTo("Default");
            assertThat(item.get("last_progress_at").asText()).endsWith("Z");

            List<String> longer = JobApiServer.ids(s.get(JOBS + "/stuck?quiet_seconds=1200"));
            assertThat(longer).isEmpty();
            assertThat(JobApiServer.ids(s.get(JOBS + "/stuck?quiet_seconds=1"))).contains(quiet);
            assertError(s.get(JOBS + "/stuck?quiet_seconds=0"), 400, "invalid_request", "quiet_seconds");
            assertError(s.get(JOBS + "/stuck?quiet_seconds=999999999"), 400, "invalid_request", "quiet_seconds");
            assertError(s.get(JOBS + "/stuck?folder=No/Such"), 400, "invalid_request", "folder");
            assertError(s.get(JOBS + "/failure-groups?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z"), 400,
                    "invalid_request", "until");
            assertError(s.get(JOBS + "/failure-groups?limit=501"), 400, "invalid_request", "limit");
        }
    }
}
