package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * What the workflow route tests share: a server over a new database per test (the subclasses run
 * on PostgreSQL and on H2, {@link com.casarerpa.orchestrator.testing.BothDatabases}), requests, and
 * the check of the one error shape.
 */
abstract class WorkflowRoutesContract {
    static final Map<String, String> NONE = Map.of();
    static final String BASE = "/api/v1/workflows";

    @Parameter
    TestDatabase database;
    @TempDir
    Path dataDir;
    MigratedDatabase db;
    WorkflowApiServer server;
    Http http;

    MigratedDatabase newDatabase() {
        return database.migrated(dataDir);
    }

    @BeforeEach
    void start() {
    db = newDatabase();
    server = new WorkflowApiServer(db);
    http = server.http;
    }

    @AfterEach
    void stop() {
    server.close();
    db.close();
    }

    static String deployBody(String name, String workflow) {
    return "{\"name\":\"" + name + "\",\"workflow_data\":" + workflow + "}";
    }

    Http.Response deploy(String name, String workflow) {
    return http.post(BASE, deployBody(name, workflow), NONE);
    }

    JsonNode deployed(String name, String workflow) {
    Http.Response r = deploy(name, workflow);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
    }

    /** Every 4xx has the one error shape, and names the field when there is one. */
    static JsonNode assertError(Http.Response r, int status, String code, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    JsonNode body = r.json();
    assertThat(body.at("/error/code").asText()).isEqualTo(code);
    assertThat(body.at("/error/message").asText()).isNotBlank();
    assertThat(body.at("/error/details").isObject()).isTrue();
    assertThat(body.at("/request_id").asText()).isNotBlank().isEqualTo(r.header("X-Request-ID"));
    if (field != null) {
        assertThat(body.at("/error/details/field").asText()).isEqualTo(field);
    }
    return body;
    }

    static JsonNode exact(String json) {
    return WorkflowJson.parse(json);
    }

    static List<String> names(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        r.json().get("items").forEach(i -> names.add(i.get("name").asText()));
        return names;
    }
}
