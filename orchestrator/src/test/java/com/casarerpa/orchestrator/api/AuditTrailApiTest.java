package com.casarerpa.orchestrator.api;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * The audit trail filtered by the resource an event changed ({@code target_type},
 * {@code target_id}): alone, together, with the other filters, across pages and in the CSV; a
 * bad value refused naming its field.
 */
@BothDatabases
class AuditTrailApiTest {
    @Parameter
    TestDatabase database;
    @TempDir
    Path workDir;

    RunningOrchestrator server;
    Http http;
    Map<String, String> admin;

    @BeforeEach
    void start() {
        server = database.isPostgres() ? RunningOrchestrator.postgres(workDir) : RunningOrchestrator.embedded(workDir);
        http = server.http();
        admin = bearer(server.adminKey(workDir));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void events_are_filtered_by_the_resource_they_changed_across_pages_and_in_the_csv() {
        String invoices = deploy("Invoices");
        deploy("Invoices"); // its second version: a second event of the same workflow
        String reports = deploy("Reports");
        String job = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + invoices + "\"}", admin).json().get("id").asText();
        http.post("/api/v1/api-keys", "{\"name\":\"ops\",\"role\":\"viewer\"}", admin);

        List<JsonNode> workflows = items("target_type=workflow");
        assertThat(workflows).allSatisfy(e -> assertThat(e.get("target_type").asText()).isEqualTo("workflow"))
                .extracting(e -> e.get("target_id").asText()).containsExactly(reports, invoices, invoices);
        List<JsonNode> ofInvoices = items("target_id=" + invoices);
        assertThat(ofInvoices).hasSize(2).allSatisfy(e -> assertThat(e.get("action").asText()).isEqualTo("workflow.deploy"));
        assertThat(items("target_type=workflow&target_id=" + invoices)).hasSize(2);
        assertThat(items("target_type=job&target_id=" + job)).extracting(e -> e.get("action").asText()).containsExactly("job.submit");
        assertThat(items("target_type=api_key&target_id=" + invoices)).as("the type and the id must both match").isEmpty();
        assertThat(items("target_type=workflow&target_id=" + invoices + "&action=api_key.create")).isEmpty();
        assertThat(items("target_type=%20api_key%20")).as("spaces around a pasted value").isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("target_type").asText()).isEqualTo("api_key"));
        assertThat(items("target_type=&target_id=")).as("empty fields filter nothing").hasSizeGreaterThan(4);

        Http.Response first = http.get("/api/v1/audit?limit=1&target_id=" + invoices, admin);
        String cursor = first.json().get("next_cursor").asText();
        JsonNode second = http.get("/api/v1/audit?limit=1&target_id=" + invoices + "&cursor=" + cursor, admin).json();
        assertThat(second.at("/items/0/target_id").asText()).as("the next page keeps the filter").isEqualTo(invoices);
        assertThat(second.at("/items/0/id").asLong()).isLessThan(first.json().at("/items/0/id").asLong());
        assertThat(second.get("next_cursor").isNull()).isTrue();

        Http.Response csv = http.get("/api/v1/audit?format=csv&target_type=workflow&target_id=" + invoices, admin);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.body().lines().skip(1).toList()).hasSize(2).allMatch(l -> l.contains(",workflow.deploy,workflow," + invoices + ","));
    }

    @Test
    void a_bad_resource_filter_is_refused_naming_its_field() {
        for (String query : List.of("target_type=Workflow", "target_type=api-key", "target_type=" + "a".repeat(51),
                "format=csv&target_type=" + URLEncoder.encode("workflow'", StandardCharsets.UTF_8))) {
            Http.Response r = http.get("/api/v1/audit?" + query, admin);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.json().at("/error/details/field").asText()).as(query).isEqualTo("target_type");
            assertThat(r.json().at("/error/message").asText()).as(query).contains("lower-case letters and underscores");
        }
        Http.Response longId = http.get("/api/v1/audit?target_id=" + "x".repeat(201), admin);
        assertThat(longId.status()).isEqualTo(400);
        assertThat(longId.json().at("/error/details/field").asText()).isEqualTo("target_id");
        assertThat(longId.json().at("/error/message").asText()).contains("at most 200 characters");
        assertThat(http.get("/api/v1/audit?target_id=" + "x".repeat(200), admin).status()).as("the column's size").isEqualTo(200);
    }

    private String deploy(String name) {
        Http.Response r = http.post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"workflow_data\":" + Samples.chain(name, "a") + "}",
                admin);
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json().get("id").asText();
    }

    /** The events of a filter (one page of at most 500). */
    private List<JsonNode> items(String query) {
        Http.Response r = http.get("/api/v1/audit?limit=500&" + query, admin);
        assertThat(r.status()).as(query + ": " + r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("items").forEach(out::add);
        return out;
    }
}
