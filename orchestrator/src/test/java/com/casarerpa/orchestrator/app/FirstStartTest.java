package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.PendingMigrationsException;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OlderSchema;
import com.casarerpa.orchestrator.testing.StartedInstance;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start on an empty PostgreSQL database as the spec's docker-compose file makes it:
 * {@code start} alone, no {@code init-db}, no secret key. The database is initialised, the
 * signing key generated into it; a configured key wins later. A schema that exists but is behind
 * is still refused.
 */
class FirstStartTest {
    private static final String CONFIGURED = "a-configured-signing-key-of-more-than-32-characters";

    @TempDir
    Path workDir;

    private String db;
    private Map<String, String> env;

    @BeforeEach
    void emptyDatabase() {
        db = TestPostgres.createDatabase();
        env = Map.of("DATABASE_URL", TestPostgres.url(db), "CASARE_DATA_DIR", workDir.resolve("data").toString());
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(db);
    }

    @Test
    void start_alone_initialises_an_empty_database_and_signs_with_a_key_generated_into_it() throws Exception {
        String token;
        try (Orchestrator first = StartedInstance.start(workDir, env)) {
            assertThat(new Http(first.port()).get("/ready").status()).isEqualTo(200);
            token = StartedInstance.token(first.port(), StartedInstance.adminKey(env, workDir));
            assertThat(StartedInstance.workflowsWith(first.port(), token)).isEqualTo(200);
        }
        assertThat(generatedKeys()).as("one generated key, long and random").hasSize(1)
                .allSatisfy(k -> assertThat(k).hasSizeGreaterThanOrEqualTo(SigningSecret.MIN_LENGTH));
        try (Orchestrator again = StartedInstance.start(workDir, env)) {
            assertThat(StartedInstance.workflowsWith(again.port(), token)).as("the same key after a restart").isEqualTo(200);
        }
        Map<String, String> configured = new java.util.HashMap<>(env);
        configured.put("ORCHESTRATOR_SECRET_KEY", CONFIGURED);
        try (Orchestrator withKey = StartedInstance.start(workDir, configured)) {
            assertThat(StartedInstance.workflowsWith(withKey.port(), token)).as("a token of the generated key").isEqualTo(401);
            String fresh = StartedInstance.token(withKey.port(), StartedInstance.adminKey(env, workDir));
            assertThat(StartedInstance.workflowsWith(withKey.port(), fresh)).isEqualTo(200);
        }
    }

    @Test
    void an_existing_schema_with_pending_migrations_is_still_refused() {
        try (Database database = Database.open(DatabaseUrl.parse(TestPostgres.url(db)), PoolSettings.forCommand())) {
            OlderSchema.migrateTo(database, "18");
        }
        assertThatThrownBy(() -> StartedInstance.start(workDir, Map.of("DATABASE_URL", TestPostgres.url(db),
                "ORCHESTRATOR_SECRET_KEY", CONFIGURED)))
                .isInstanceOf(PendingMigrationsException.class)
                .hasMessageContaining("pending migrations").hasMessageContaining("casare-rpa orchestrator migrate");
    }

    private java.util.List<String> generatedKeys() throws Exception {
        java.util.List<String> keys = new java.util.ArrayList<>();
        try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT secret_value FROM generated_secrets")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }
}
