package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The password of DATABASE_URL appears nowhere: not in output, errors, or any log line at any
 * level (this server trusts every local login, so a URL with a password still connects).
 */
class PasswordNeverShownTest {
    private static final String PASSWORD = "Corr3ct-H0rse-Battery";

    @TempDir
    Path workDir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<Logger> raised = new ArrayList<>();
    private String database;

    @BeforeEach
    void captureEveryLogLine() {
        for (String name : new String[] {"com.zaxxer.hikari", "org.flywaydb", "org.postgresql", "com.casarerpa"}) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.setLevel(Level.TRACE);
            raised.add(logger);
        }
        logs.start();
        root.addAppender(logs);
        database = TestPostgres.createDatabase();
    }

    @AfterEach
    void restore() {
        root.detachAppender(logs);
        raised.forEach(l -> l.setLevel(null));
        TestPostgres.dropDatabase(database);
    }

    @Test
    void a_password_in_database_url_is_never_printed_or_logged() {
        String good = "postgresql://" + TestPostgres.USER + ":" + PASSWORD + "@" + TestPostgres.HOST + ":"
                + TestPostgres.PORT + "/" + database + "?sslmode=disable";
        String jdbc = "jdbc:postgresql://" + TestPostgres.HOST + ":" + TestPostgres.PORT + "/" + database
                + "?user=" + TestPostgres.USER + "&password=" + PASSWORD;
        String missingDb = good.replace("/" + database, "/no_such_db");
        String badRole = good.replace(TestPostgres.USER + ":", "no_such_role:");

        List<Result> results = new ArrayList<>();
        for (String url : new String[] {good, jdbc}) {
            for (String command : new String[] {"check-db", "init-db", "migrate", "db-status", "db-status --json", "check-db --json"}) {
                results.add(CliHarness.orchestrator(Map.of("DATABASE_URL", url), workDir, command.split(" ")));
            }
        }
        for (String url : new String[] {missingDb, badRole}) {
            results.add(CliHarness.orchestrator(Map.of("DATABASE_URL", url), workDir, "check-db", "--json"));
            results.add(CliHarness.orchestrator(Map.of("DATABASE_URL", url), workDir, "init-db", "--debug"));
        }

        assertThat(results).hasSize(16).allSatisfy(r -> assertThat(r.toString()).doesNotContain(PASSWORD));
        assertThat(results.getFirst().out()).contains(":****@");
        assertThat(logs.list).isNotEmpty().allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(PASSWORD);
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD);
            }
        });
    }
}
