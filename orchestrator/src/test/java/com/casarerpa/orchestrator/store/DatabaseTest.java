package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    private static String name;

    @BeforeAll
    static void createDatabase() {
        name = TestPostgres.createDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        TestPostgres.dropDatabase(name);
    }

    private static PoolSettings serverPool(int poolSize, int maxOverflow) {
        return PoolSettings.forServer(new OrchestratorSettings.Database(Optional.empty(), poolSize, maxOverflow, 10));
    }

    @Test
    void the_server_pool_keeps_pool_size_open_and_grows_to_pool_size_plus_max_overflow() {
        PoolSettings pool = serverPool(3, 2);

        try (Database db = Database.open(DatabaseUrl.parse(TestPostgres.url(name)), pool)) {
            HikariDataSource hikari = (HikariDataSource) db.dataSource();
            assertThat(hikari.getMinimumIdle()).isEqualTo(3);
            assertThat(hikari.getMaximumPoolSize()).isEqualTo(5);
            assertThat(hikari.getConnectionTimeout()).isEqualTo(5_000);
            assertThat(hikari.getPoolName()).isEqualTo("casare-orchestrator");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> hikari.getHikariPoolMXBean().getIdleConnections() == 3);
        }
    }

    @Test
    void the_pool_recovers_by_itself_when_the_server_drops_its_connections() throws Exception {
        try (Database db = Database.open(DatabaseUrl.parse(TestPostgres.url(name)), serverPool(2, 1))) {
            int before = backendPid(db);

            try (Connection admin = TestPostgres.connect("postgres");
                    PreparedStatement kill = admin.prepareStatement(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?")) {
                kill.setString(1, name);
                kill.executeQuery().close();
            }

            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(backendPid(db)).isNotEqualTo(before));
        }
    }

    @Test
    void opening_the_embedded_database_creates_its_data_directory(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("not/there/yet");

        try (Database db = Database.open(DatabaseUrl.embedded(dataDir), PoolSettings.forCommand());
                Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(db.dialect()).isEqualTo(Dialect.H2);
        }
        assertThat(dataDir.resolve("casare.mv.db")).exists();
    }

    @Test
    void a_direct_connection_needs_no_pool() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse(TestPostgres.jdbcUrl(name));

        try (Connection c = Database.connectDirectly(url, PoolSettings.forCommand())) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    private static int backendPid(Database db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
