package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TcpProxy;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.slf4j.LoggerFactory;

/**
 * A pool whose connections all stay busy is told apart from a database that is away: the first
 * is {@code overloaded} (503, {@code Retry-After: 1}) and logged once, rate-limited, with the
 * pool's counters; the second stays {@code unavailable}.
 */
class PoolExhaustedTest {
    private static final Duration WAIT = Duration.ofMillis(500);

    private static List<String> poolWarnings(ListAppender<ILoggingEvent> logs) {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getLoggerName().endsWith("PoolTimeouts"))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Nested
    @BothDatabases
    class TinyPool {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase migrated;
        private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        @BeforeEach
        void open() {
            migrated = database.migrated(dir);
            logs.start();
            root.addAppender(logs);
        }

        @AfterEach
        void close() {
            root.detachAppender(logs);
            migrated.close();
        }

        @Test
        void a_pool_held_busy_is_overloaded_not_unavailable_and_says_so_once_with_its_counters() throws Exception {
            try (Database tiny = Database.open(migrated.url(), new PoolSettings("tiny", 0, 1, WAIT, Duration.ZERO))) {
                Connection held = tiny.connection();
                DatabaseUnavailableException first = catchThrowableOfType(DatabaseUnavailableException.class, tiny::connection);
                assertThat(first.reason()).isEqualTo(DatabaseUnavailableException.Reason.POOL_EXHAUSTED);
                assertThat(first.code()).isEqualTo("overloaded");
                assertThat(first.status()).isEqualTo(503);
                assertThat(first.retryable()).isTrue();
                assertThat(first.clientMessage()).contains("overloaded").doesNotContain("unreachable");
                assertThat(first.getMessage()).contains("active 1").contains("idle 0").contains("max 1");

                DatabaseUnavailableException second = catchThrowableOfType(DatabaseUnavailableException.class,
                        () -> Jdbi3.of(tiny).withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()));
                assertThat(second.code()).as("through JDBI too").isEqualTo("overloaded");

                List<String> warned = poolWarnings(logs);
                assertThat(warned).as("one line for both timeouts: rate-limited").hasSize(1);
                assertThat(warned.getFirst()).contains("database pool tiny exhausted").contains("active 1, idle 0, waiting")
                        .contains("max 1").contains("docs/operations.md");

                held.close();
                int one = Jdbi3.of(tiny).withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
                assertThat(one).as("free again once the connection is back").isEqualTo(1);
            }
        }
    }

    @Nested
    class DatabaseAway {
        @Test
        void a_database_that_cannot_be_reached_stays_unavailable() throws Exception {
            String name = TestPostgres.createMigratedDatabase();
            try (TcpProxy proxy = new TcpProxy(TestPostgres.HOST, TestPostgres.PORT)) {
                DatabaseUrl url = DatabaseUrl.parse("postgresql://" + TestPostgres.USER
                        + (TestPostgres.PASSWORD.isEmpty() ? "" : ":" + TestPostgres.PASSWORD)
                        + "@127.0.0.1:" + proxy.port() + "/" + name);
                try (Database db = Database.open(url, new PoolSettings("away", 0, 1, WAIT, Duration.ofSeconds(5)))) {
                    proxy.cut();
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        DatabaseUnavailableException e = catchThrowableOfType(DatabaseUnavailableException.class, db::connection);
                        assertThat(e).as("the proxy is cut: no connection can be made").isNotNull();
                        assertThat(e.code()).isEqualTo("unavailable");
                        assertThat(e.reason()).isNotEqualTo(DatabaseUnavailableException.Reason.POOL_EXHAUSTED);
                    });
                }
            } finally {
                TestPostgres.dropDatabase(name);
            }
        }
    }

    /** Over HTTP: three connections (migrations and the first-start lock need three), held by requests stuck behind a table lock; the next request is told it is overloaded. */
    @Nested
    class OverHttp {
        @TempDir
        Path workDir;

        @Test
        void a_request_that_finds_no_connection_is_503_overloaded_with_retry_after_1_and_the_server_recovers() throws Exception {
            try (RunningOrchestrator server = RunningOrchestrator.postgres(workDir, Map.of("CASARE_DATABASE_POOL_SIZE", "3",
                    "CASARE_DATABASE_MAX_OVERFLOW", "0", "CASARE_DATABASE_STATEMENT_TIMEOUT_SECONDS", "60"))) {
                Http http = server.http();
                Map<String, String> admin = Map.of("X-API-Key", server.adminKey(workDir));
                assertThat(http.get("/api/v1/workflows", admin).status()).isEqualTo(200);
                try (Connection side = TestPostgres.connect(server.pgDatabase().orElseThrow());
                        Statement s = side.createStatement()) {
                    side.setAutoCommit(false);
                    s.execute("LOCK TABLE workflows IN ACCESS EXCLUSIVE MODE");
                    var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
                    List<CompletableFuture<Http.Response>> stuck = java.util.stream.IntStream.rangeClosed(1, 3)
                            .mapToObj(i -> CompletableFuture.supplyAsync(() -> http.get("/api/v1/workflows?limit=" + i, admin), threads))
                            .toList();
                    String db = server.pgDatabase().orElseThrow();
                    await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLock(db) >= 3);

                    Http.Response refused = http.get("/api/v1/jobs?limit=1", admin);
                    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                    assertThat(refused.json().at("/error/code").asText()).isEqualTo("overloaded");
                    assertThat(refused.json().at("/error/retryable").asBoolean()).isTrue();
                    assertThat(refused.header("Retry-After")).isEqualTo("1");

                    side.rollback();
                    // The requests or background sweeps held the connections: each request got one, or was told the same.
                    for (CompletableFuture<Http.Response> f : stuck) {
                        Http.Response after = f.get();
                        assertThat(after.status() == 200 || after.body().contains("\"overloaded\"")).as(after.body()).isTrue();
                    }
                }
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(http.get("/api/v1/jobs?limit=1", admin).status()).isEqualTo(200));
            }
        }

        /** Backends of the database waiting on a lock, seen from a connection of its own (a transaction keeps its snapshot). */
        private static int waitingOnLock(String database) throws Exception {
            try (Connection c = TestPostgres.connect(database); Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database()")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
