package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Searching jobs (q, tag), what list items carry, and the CSV export, on PostgreSQL and H2. */
class JobSearchApiTest {

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {

        List<String> list(String query) {
            return JobApiServer.ids(s.get(JOBS + query));
        }

        static String enc(String v) {
            return URLEncoder.encode(v, StandardCharsets.UTF_8);
        }

        @Test
        void q_finds_a_job_by_its_id_or_its_start_the_workflow_name_a_tag_or_text_in_its_variables() {
            String plain = submit("");
            String tagged = submit(",\"tags\":[\"nightly-run\"]");
            String customer = submit(",\"variables\":{\"customer\":\"Zebra Industries\",\"amount\":7}");
            String secret = submit(",\"variables\":{\"password\":\"hunter2secret\"}");
            String otherWorkflow = s.deploy("other-" + workflowName);
            String elsewhere = s.submitted("{\"workflow_id\":\"" + otherWorkflow + "\",\"variables\":{\"note\":\"zebra\"}}")
                    .get("id").asText();

            assertThat(list("?q=" + plain)).containsExactly(plain);
            assertThat(list("?q=" + plain.substring("job_".length()))).as("without job_").containsExactly(plain);
            assertThat(list("?q=" + plain.substring(0, 10))).contains(plain, tagged, customer);
            String namePart = workflowName.substring(3).toUpperCase(Locale.ROOT);
            assertThat(list("?q=" + namePart)).as("the workflow's name, any case")
                    .containsExactlyInAnyOrder(plain, tagged, customer, secret, elsewhere);
            assertThat(list("?q=nightly-run")).containsExactly(tagged);
            assertThat(list("?q=nightly")).as("a tag matches whole").isEmpty();
            assertThat(list("?q=" + enc("ZEBRA indus"))).containsExactly(customer);
            assertThat(list("?q=zebra")).containsExactlyInAnyOrder(customer, elsewhere);
            assertThat(list("?q=zebra&workflow_id=" + otherWorkflow)).containsExactly(elsewhere);
            assertThat(list("?q=hunter2secret")).as("sensitive values are not searched").isEmpty();
            assertThat(list("?q=nothing-matches-this")).isEmpty();
        }

        @Test
        void the_tag_filter_takes_jobs_carrying_every_tag_given() {
            String ab = submit(",\"tags\":[\"a\",\"b\"]");
            String a = submit(",\"tags\":[\"a\"]");
            String b = submit(",\"tags\":[\"b\",\"c d\"]");
            submit("");

            assertThat(list("?tag=a")).containsExactly(a, ab);
            assertThat(list("?tag=b")).containsExactly(b, ab);
            assertThat(list("?tag=a&tag=b")).containsExactly(ab);
            assertThat(list("?tag=" + enc("c d") + "&state=pending")).containsExactly(b);
            assertThat(list("?tag=zzz")).isEmpty();
            assertThat(list("?tag=&q=&since=&until=&error_signature=&workflow_id=&robot_id=")).as("empty fields of a form filter nothing")
                    .hasSize(4);
        }

        @Test
        void list_items_carry_a_one_line_error_summary_and_the_job_carries_the_full_error() {
            String id = submit(",\"max_retries\":0");
            String longLine = "x".repeat(300);
            JobClaims.Claim c = s.claim("robot-err", 1).getFirst();
            s.reports.failed(c.job().id(), c.lease().token(), "NodeError", "first line 42\nsecond line\n" + longLine);

            JsonNode item = s.get(JOBS + "?state=failed").json().at("/items/0");
            assertThat(item.get("id").asText()).isEqualTo(id);
            assertThat(item.has("error")).as("no full error in a list").isFalse();
            assertThat(item.get("error_summary").asText()).isEqualTo("NodeError: first line 42");
            assertThat(item.get("error_signature").asText()).matches("[0-9a-f]{16}");
            JsonNode job = s.job(id);
            assertThat(job.at("/error/message").asText()).isEqualTo("first line 42\nsecond line\n" + longLine);
            assertThat(job.get("error_summary").asText()).isEqualTo("NodeError: first line 42");

            String other = submit(",\"max_retries\":0");
            JobClaims.Claim c2 = s.claim("robot-err", 1).getFirst();
            s.reports.failed(c2.job().id(), c2.lease().token(), "NodeError", longLine);
            String summary = s.job(other).get("error_summary").asText();
            assertThat(summary).hasSize(200).endsWith("\u2026").startsWith("NodeError: xxx");
            assertThat(s.job(other).get("error_signature").asText()).isNotEqualTo(item.get("error_signature").asText());
        }

        @Test
        void the_csv_has_a_header_quotes_as_rfc_4180_and_guards_cells_against_formulas() {
            String id = submit(",\"max_retries\":0,\"tags\":[\"=HYPERLINK(\\\"http://evil\\\")\",\"b\"]");
            JobClaims.Claim c = s.claim("robot-csv", 1).getFirst();
            s.reports.failed(c.job().id(), c.lease().token(), "@SUM", "1, \"two\"");
            String pending = submit(",\"tags\":[\"-x\"]");

            Http.Response r = s.http.get(JOBS + "?format=csv&workflow_id=" + workflowId, s.admin());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/csv");
            assertThat(r.header("Content-Disposition")).matches("attachment; filename=jobs-\\d{8}T\\d{6}Z\\.csv");
            List<String> lines = List.of(r.body().split("\r\n"));
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).isEqualTo("id,state,workflow_id,workflow_name,workflow_version,robot_id,folder_path,created_at,"
                    + "started_at,finished_at,attempts,error_summary,tags");
            JsonNode p = s.job(pending);
            assertThat(lines.get(1)).isEqualTo(pending + ",pending," + workflowId + "," + workflowName + ",1,,Default,"
                    + p.get("created_at").asText() + ",,,0,,'-x");
            JsonNode f = s.job(id);
            assertThat(lines.get(2)).startsWith(id + ",failed," + workflowId + "," + workflowName + ",1,robot-csv,Default,"
                    + f.get("created_at").asText() + "," + f.get("started_at").asText(""))
                    .endsWith(",1,\"'@SUM: 1, \"\"two\"\"\",\"'=HYPERLINK(\"\"http://evil\"\"), b\"");

            Http.Response accepted = s.http.get(JOBS + "?workflow_id=" + workflowId,
                    Map.of("Authorization", s.admin().get("Authorization"), "Accept", "text/csv"));
            assertThat(accepted.body()).isEqualTo(r.body());
            Http.Response json = s.http.get(JOBS + "?format=json&workflow_id=" + workflowId,
                    Map.of("Authorization", s.admin().get("Authorization"), "Accept", "text/csv"));
            assertThat(json.json().get("items")).hasSize(2);
        }

        @Test
        void the_csv_streams_every_matching_job_not_one_page() {
            StringBuilder batch = new StringBuilder("{\"jobs\":[");
            for (int i = 0; i < 1000; i++) {
                batch.append(i == 0 ? "" : ",").append(job(",\"tags\":[\"bulk\"]"));
            }
            String body = batch.append("]}").toString();
            for (int i = 0; i < 5; i++) {
                assertThat(s.post(JOBS + "/batch", body).status()).isEqualTo(201);
            }
            submit("");

            Http.Response r = s.http.get(JOBS + "?format=csv&tag=bulk&limit=10", s.admin());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Length")).as("streamed, not buffered").isNull();
            String[] lines = r.body().split("\r\n");
            assertThat(lines).hasSize(5001);
            List<String> ids = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                ids.add(lines[i].substring(0, lines[i].indexOf(',')));
            }
            assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.startsWith("job_"));
            assertThat(lines[1]).endsWith(",bulk");
        }

        @Test
        void bad_search_parameters_are_400_naming_them() {
            assertError(s.get(JOBS + "?q=" + "x".repeat(201)), 400, "invalid_request", "q");
            assertError(s.get(JOBS + "?error_signature=nope"), 400, "invalid_request", "error_signature");
            assertError(s.get(JOBS + "?format=xml"), 400, "invalid_request", "format");
            assertError(s.get(JOBS + "?tag=" + "t".repeat(201)), 400, "invalid_request", "tag");
            assertError(s.get(JOBS + "?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z"), 400, "invalid_request", "until");
            assertError(s.get(JOBS + "?format=csv&state=done"), 400, "invalid_request", "state");
        }
    }
}
