package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The embedded database is owner-only and has a password of its own, also when it was made by an
 * older version (user sa, empty password, files readable by everyone). The other OS user's view
 * is {@link EmbeddedDatabaseOtherUserTest}.
 */
class EmbeddedDatabaseTest {
    @TempDir
    Path workDir;

    private Path dataDir;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger storeLog = (Logger) LoggerFactory.getLogger("com.casarerpa.orchestrator.store");

    @BeforeEach
    void captureWarnings() {
        dataDir = workDir.resolve("data");
        logs.start();
        storeLog.addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        storeLog.detachAppender(logs);
    }

    private static Database open(Path dataDir) {
        return Database.open(DatabaseUrl.embedded(dataDir), PoolSettings.forCommand());
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void a_new_database_is_owner_only_from_the_start_and_has_a_random_password() throws Exception {
        open(dataDir).close();

        assertThat(mode(dataDir)).isEqualTo("rwx------");
        try (var files = Files.list(dataDir)) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
        }
        assertThat(Files.readString(dataDir.resolve("database.password")).strip()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(warnings()).isEmpty();
        assertRefusesTheOldLogin();
    }

    @Test
    void a_database_made_without_a_password_gets_the_stored_one_at_its_first_open_and_keeps_its_data() throws Exception {
        // As older versions made it: sa with an empty password, the directory and files readable by everyone.
        try (Connection old = Database.connectDirectly(DatabaseUrl.embedded(dataDir), PoolSettings.forCommand());
                Statement s = old.createStatement()) {
            s.execute("CREATE TABLE kept (v VARCHAR(10))");
            s.execute("INSERT INTO kept VALUES ('yes')");
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dataDir.resolve("casare.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        try (Database db = open(dataDir); Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("yes");
        }

        assertThat(mode(dataDir)).isEqualTo("rwx------");
        assertThat(mode(dataDir.resolve("casare.mv.db"))).isEqualTo("rw-------");
        assertThat(mode(dataDir.resolve("database.password"))).isEqualTo("rw-------");
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains(dataDir.toString(), "was open to other users (rwxr-xr-x)",
                        "changed it to rwx------"))
                .anySatisfy(w -> assertThat(w).contains("casare.mv.db was open to other users (rw-r--r--)"))
                .anySatisfy(w -> assertThat(w).contains("had no password", "database.password"));
        assertRefusesTheOldLogin();

        logs.list.clear();
        open(dataDir).close();
        assertThat(warnings()).as("the second open finds nothing to fix").isEmpty();
    }

    @Test
    void a_lost_password_file_is_refused_with_what_to_do() throws Exception {
        open(dataDir).close();
        Files.delete(dataDir.resolve("database.password"));

        assertThatThrownBy(() -> open(dataDir)).isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("refused the password in " + dataDir.toAbsolutePath().resolve("database.password"))
                .hasMessageContaining("restore it from a backup");
    }

    @Test
    void a_data_directory_every_user_may_write_to_is_refused_and_left_as_it_is() throws Exception {
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> open(dataDir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("the data directory " + dataDir.toAbsolutePath() + " is writable by every user")
                .hasMessageContaining("CASARE_DATA_DIR");
        assertThat(mode(dataDir)).isEqualTo("rwxrwxrwx");
        try (var files = Files.list(dataDir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    /** Logging in as sa with an empty password, as before, is refused. */
    private void assertRefusesTheOldLogin() {
        assertThatThrownBy(() -> Database.connectDirectly(DatabaseUrl.embedded(dataDir), PoolSettings.forCommand()).close())
                .isInstanceOf(DatabaseUnavailableException.class)
                .satisfies(e -> assertThat(((DatabaseUnavailableException) e).reason())
                        .isEqualTo(DatabaseUnavailableException.Reason.CREDENTIALS_REFUSED))
                .hasRootCauseInstanceOf(SQLException.class);
    }
}
