package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.config.OrchestratorConfig;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.EmbeddedDatabaseInUseException;
import com.casarerpa.orchestrator.store.PendingMigrationsException;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OlderSchema;
import com.casarerpa.orchestrator.testing.TcpProxy;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrchestratorHealthTest {
    @TempDir
    Path workDir;

    private Orchestrator orchestrator;

    @AfterEach
    void stop() {
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private OrchestratorSettings settings(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("CASARE_DATA_DIR", workDir.resolve("data").toString());
        all.put("ORCHESTRATOR_PORT", "0");
        all.putIfAbsent("ORCHESTRATOR_SECRET_KEY", "test-signing-key-of-at-least-32-characters");
        CliContext ctx = new CliContext(all, workDir, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        return OrchestratorConfig.load(ctx, Optional.empty(), Map.of()).settings();
    }

    @Test
    void embedded_quick_start_initialises_an_empty_database_and_reports_healthy_and_ready() {
        orchestrator = Orchestrator.start(settings(Map.of()), Orchestrator.SchemaPolicy.REQUIRE_CURRENT);
        Http http = new Http(orchestrator.port());

        Http.Response health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        JsonNode body = health.json();
        assertThat(body.get("status").asText()).isEqualTo("healthy");
        assertThat(body.get("database").asText()).isEqualTo("connected");
        assertThat(body.get("queue").asText()).isEqualTo("active");
        assertThat(body.get("robots_online").asInt()).isZero();

        Http.Response ready = http.get("/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");
        assertThat(ready.json().at("/checks/migrations").asText()).isEqualTo("current");
    }

    @Test
    void a_draining_instance_is_alive_but_not_ready() {
        orchestrator = Orchestrator.start(settings(Map.of()), Orchestrator.SchemaPolicy.REQUIRE_CURRENT);
        Http http = new Http(orchestrator.port());
        orchestrator.health().beginDraining();

        Http.Response ready = http.get("/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("status").asText()).isEqualTo("not_ready");
        assertThat(ready.json().get("reasons").toString()).contains("shutting down");
        assertThat(http.get("/health").status()).isEqualTo(200);
    }

    @Test
    void a_second_server_on_the_same_embedded_database_is_refused() {
        OrchestratorSettings settings = settings(Map.of());
        orchestrator = Orchestrator.start(settings, Orchestrator.SchemaPolicy.REQUIRE_CURRENT);
        assertThatThrownBy(() -> Orchestrator.start(settings, Orchestrator.SchemaPolicy.REQUIRE_CURRENT))
                .isInstanceOf(EmbeddedDatabaseInUseException.class)
                .hasMessageContaining(settings.dataDir().toString());
        assertThat(new Http(orchestrator.port()).get("/health").status()).isEqualTo(200);
    }

    @Test
    void a_postgresql_schema_with_pending_migrations_is_refused_with_the_command_to_run() {
        String db = TestPostgres.createDatabase();
        try {
            try (Database database = Database.open(DatabaseUrl.parse(TestPostgres.url(db)), PoolSettings.forCommand())) {
                OlderSchema.migrateTo(database, "18");
            }
            OrchestratorSettings settings = settings(Map.of("DATABASE_URL", TestPostgres.url(db)));
            assertThatThrownBy(() -> Orchestrator.start(settings, Orchestrator.SchemaPolicy.REQUIRE_CURRENT))
                    .isInstanceOf(PendingMigrationsException.class)
                    .hasMessageContaining("casare-rpa orchestrator migrate");
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    @Test
    void health_follows_postgresql_going_away_and_coming_back() throws Exception {
        String db = TestPostgres.createDatabase();
        try (TcpProxy proxy = new TcpProxy(TestPostgres.HOST, TestPostgres.PORT)) {
            String url = "postgresql://" + TestPostgres.USER + "@127.0.0.1:" + proxy.port() + "/" + db;
            orchestrator = Orchestrator.start(settings(Map.of("DATABASE_URL", url)), Orchestrator.SchemaPolicy.MIGRATE);
            Http http = new Http(orchestrator.port());
            assertThat(http.get("/health").status()).isEqualTo(200);

            proxy.cut();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response r = http.get("/health");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.json().get("status").asText()).isEqualTo("unhealthy");
                assertThat(r.json().get("database").asText()).isEqualTo("disconnected");
            });
            Http.Response notReady = http.get("/ready");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().at("/checks/database").asText()).isEqualTo("disconnected");
            Http.Response api = http.get("/api/v1/jobs", Map.of("X-API-Key", "crpa_any-key-cannot-be-checked-now"));
            assertThat(api.status()).as("an API call while the database is away").isEqualTo(503);
            assertThat(api.json().at("/error/code").asText()).isEqualTo("unavailable");
            assertThat(api.json().at("/error/retryable").asBoolean()).as("a 503 may work later").isTrue();
            assertThat(api.header("Retry-After")).isEqualTo("5");

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Http.Response r = http.get("/health");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("database").asText()).isEqualTo("connected");
            });
            assertThat(http.get("/ready").status()).isEqualTo(200);
        } finally {
            if (orchestrator != null) {
                orchestrator.close();
                orchestrator = null;
            }
            TestPostgres.dropDatabase(db);
        }
    }
}
