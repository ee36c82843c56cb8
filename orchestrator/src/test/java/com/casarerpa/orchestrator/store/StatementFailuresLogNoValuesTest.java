package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.JobOptions;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.domain.Webhook;
import com.casarerpa.orchestrator.domain.WebhookAuth;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.workflow.WorkflowDefinition;
import com.casarerpa.orchestrator.workflow.WorkflowVersion;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.slf4j.LoggerFactory;

/**
 * Values bound to a failing statement (a job variable {@code db_password}, a webhook secret, a
 * key hash) never reach the log, while the failure is still logged usefully: the stores' exceptions
 * are logged the way the server logs an unhandled error (with the whole cause chain), and every log
 * line written meanwhile is scanned too. On PostgreSQL and H2, whose drivers put values into their
 * messages in different places.
 */
class StatementFailuresLogNoValuesTest {
    private static final String SECRET = "hunter2-Sup3r-Secret-Value";
    private static final String KEY_HASH = "5ec2e7" + "ab".repeat(29);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final Logger server = (Logger) LoggerFactory.getLogger("com.casarerpa.orchestrator.api.ErrorMapper");
        MigratedDatabase db;
        Jdbi jdbi;

        MigratedDatabase open() {
            return database.migrated(dir);
        }

        /** PostgreSQL refuses a NUL byte in text; H2 stores it. */
        boolean refusesNul() {
            return database.isPostgres();
        }

        /** Log files the database keeps itself (H2's trace file beside the database), which must not hold values either. */
        List<Path> databaseLogs() throws IOException {
            if (database.isPostgres()) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".trace.db")).toList();
            }
        }

        @BeforeEach
        void openAndCapture() {
            db = open();
            jdbi = Jdbi3.of(db.database());
            logs.start();
            root.addAppender(logs);
        }

        @AfterEach
        void close() {
            root.detachAppender(logs);
            db.close();
        }

        @Test
        void a_unique_violation_on_a_key_hash_is_logged_without_the_hash() {
            ApiKeyStore keys = new ApiKeyStore(jdbi);
            keys.insert(key("key_1", "first"), KEY_HASH);

            String logged = failureLogged(() -> keys.insert(key("key_2", "second"), KEY_HASH));

            assertThat(logged).doesNotContain(KEY_HASH).doesNotContain(KEY_HASH.substring(0, 20))
                    .contains("unique violation").contains("23505").contains("api_keys");
        }

        @Test
        void a_value_too_long_is_logged_without_the_value() {
            String name = SECRET + "x".repeat(300);

            String logged = failureLogged(() -> new ApiKeyStore(jdbi).insert(key("key_1", name), KEY_HASH));

            assertThat(logged).doesNotContain(SECRET).doesNotContain(KEY_HASH).contains("22001").contains("api_keys");
        }

        @Test
        void a_check_violation_of_a_job_is_logged_without_its_variables() {
            workflow("wf_1");
            JobStore.NewJob job = new JobStore.NewJob("job_1", "wf_1", 1, 99, "{\"db_password\":\"" + SECRET + "\"}",
                    List.of(), List.of(), Optional.empty(), Optional.of(new JobStore.Idempotency("api_key:key_1", "idem-" + SECRET, "hash")), 0, Optional.empty(), "api", "test");

            String logged = failureLogged(() -> new JobStore(jdbi).submit(job));

            assertThat(logged).doesNotContain(SECRET).contains("check violation").contains("jobs");
        }

        @Test
        void a_webhook_secret_in_a_failing_insert_is_not_logged() {
            Webhook hook = new Webhook("wh_1", "Orders", "wf_missing", WebhookAuth.HMAC, SECRET, "",
                    new JobOptions("{}", 10, 0, Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty()),
                    true, NOW, "test", "root");

            String logged = failureLogged(() -> new WebhookStore(jdbi).insert(hook));

            assertThat(logged).doesNotContain(SECRET).contains("foreign key violation").contains("webhooks");
        }

        @Test
        void a_nul_byte_refused_by_the_database_is_logged_without_the_value() {
            workflow("wf_1");
            JobStore.NewJob job = new JobStore.NewJob("job_1", "wf_1", 1, 10, "{\"api_token\":\"" + SECRET + "\u0000\"}",
                    List.of(), List.of(), Optional.empty(), Optional.empty(), 0, Optional.empty(), "api", "test");
            if (!refusesNul()) {
                new JobStore(jdbi).submit(job);
                assertThat(new JobStore(jdbi).find("job_1")).isPresent();
                return;
            }

            String logged = failureLogged(() -> new JobStore(jdbi).submit(job));

            assertThat(logged).doesNotContain(SECRET).contains("22021").contains("jobs");
        }

        /**
         * Runs a statement that must fail, logs its exception as the server logs an unhandled
         * error, and answers everything logged meanwhile as the log shows it (messages and stack
         * traces with every cause).
         */
        private String failureLogged(Runnable statement) {
            StoreException failure = catchThrowableOfType(StoreException.class, statement::run);
            assertThat(failure).as("the statement failed").isNotNull();
            server.error("unhandled error in POST /api/v1/test", failure);
            assertThat(logs.list).as("the failure was logged").isNotEmpty();
            StringBuilder logged = new StringBuilder(logs.list.stream()
                    .map(e -> e.getFormattedMessage() + "\n" + (e.getThrowableProxy() == null ? ""
                            : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                    .collect(Collectors.joining("\n")));
            try {
                for (Path file : databaseLogs()) {
                    logged.append('\n').append(file).append(":\n").append(Files.readString(file, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return logged.toString();
        }

        private void workflow(String id) {
            new WorkflowStore(jdbi).inTransaction(rows -> {
                rows.insert(new Workflow(id, "Workflow " + id, null, List.of(), 1, NOW, NOW, "test", "root"));
                rows.insert(new WorkflowVersion(id, 1, WorkflowDefinition.stored("{}", "0".repeat(64), 2, 0), NOW, "test"));
                return null;
            });
        }

        private static ApiKey key(String id, String name) {
            return new ApiKey(id, name, Role.VIEWER, "crpa_abc", Optional.empty(), NOW, "test", Optional.empty(),
                    Optional.empty(), Optional.empty(), ApiKey.Owner.serviceAccount("sa_test"));
        }
    }
}
