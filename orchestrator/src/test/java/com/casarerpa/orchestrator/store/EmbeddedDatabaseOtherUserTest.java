package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.ListeningAddresses;
import com.casarerpa.orchestrator.testing.OrchestratorProcess;
import com.casarerpa.orchestrator.testing.OtherOsUser;
import com.casarerpa.orchestrator.testing.OtherOsUser.Run;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another account of the machine ({@code nobody}) against a running orchestrator on the embedded
 * database: it can read none of its files and cannot log in to the database, not even through
 * the TCP port H2's AUTO_SERVER opens for the CLI commands, which listens on loopback only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedDatabaseOtherUserTest {
    /** Traversable by everyone (0755), so only the data directory's own permissions keep others out. */
    @TempDir
    static Path workDir;

    /** World-readable, for the H2 jar that the other user runs. */
    @TempDir
    static Path toolDir;

    private Path dataDir;
    private ChildJvm server;
    private Properties h2Lock;

    @BeforeAll
    void startAnOrchestratorOnTheEmbeddedDatabase() throws IOException {
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        dataDir = workDir.resolve("data");
        server = ChildJvm.start(OrchestratorProcess.class, workDir.toString(), OrchestratorProcess.EMBEDDED);
        server.awaitLineStartingWith(OrchestratorProcess.PORT_LINE);
        h2Lock = new Properties();
        try (Reader in = Files.newBufferedReader(dataDir.resolve("casare.lock.db"))) {
            h2Lock.load(in);
        }
    }

    @AfterAll
    void stopIt() throws InterruptedException {
        server.close();
    }

    /** Runs last: the refused logins before must not have left a file others may read (H2's trace file). */
    @Test
    @Order(3)
    void the_data_directory_and_every_file_in_it_are_the_owners_alone() throws IOException {
        List<Path> files;
        try (var list = Files.list(dataDir)) {
            files = list.sorted().toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString()).contains("casare.mv.db", "casare.lock.db",
                "database.password", "orchestrator.lock", "secret.key", "initial-admin.key");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        Run list = OtherOsUser.run("ls", dataDir.toString());
        assertThat(list.exitCode()).as(list.toString()).isNotZero();
        assertThat(list.output()).contains("Permission denied");
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
            Run read = OtherOsUser.run("cat", file.toString());
            assertThat(read.exitCode()).as(file + ": " + read).isNotZero();
            assertThat(read.output()).as(file.toString()).contains("Permission denied");
        }
    }

    @Test
    @Order(1)
    void the_server_that_shares_the_database_with_cli_commands_listens_on_loopback_only() {
        assertThat(h2Lock.getProperty("server")).startsWith("localhost:");
        List<InetAddress> listening = ListeningAddresses.onPort(autoServerPort());
        assertThat(listening).isNotEmpty().allSatisfy(a -> assertThat(a.isLoopbackAddress()).as(a.toString()).isTrue());
    }

    @Test
    @Order(2)
    void another_user_who_knows_the_port_and_key_cannot_log_in_without_the_password() throws IOException {
        // What an attacker would have read from the lock file, were it readable: here the test reads it for them.
        String url = "jdbc:h2:tcp://127.0.0.1:" + autoServerPort() + "/" + h2Lock.getProperty("id");

        Run emptyPassword = asOtherUser(url, "sa", "");
        Run guessed = asOtherUser(url, "sa", "sa");
        assertThat(emptyPassword.exitCode()).as(emptyPassword.toString()).isNotZero();
        assertThat(emptyPassword.output()).contains("Wrong user name or password");
        assertThat(guessed.exitCode()).as(guessed.toString()).isNotZero();
        assertThat(guessed.output()).contains("Wrong user name or password");

        // The same client, user and address do get in with the password: it is what keeps the other user out.
        String password = Files.readString(dataDir.resolve("database.password")).strip();
        Run withPassword = asOtherUser(url, "sa", password);
        assertThat(withPassword.exitCode()).as(withPassword.toString()).isZero();
        assertThat(withPassword.output()).contains("(1 row");
    }

    private int autoServerPort() {
        String server = h2Lock.getProperty("server");
        return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    }

    /** H2's own command-line client, run as nobody from a world-readable copy of the H2 jar. */
    private Run asOtherUser(String url, String user, String password) throws IOException {
        Files.setPosixFilePermissions(toolDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = toolDir.resolve("h2.jar");
        if (!Files.exists(jar)) {
            Path h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            Files.copy(h2, jar, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return OtherOsUser.run(java, "-cp", jar.toString(), "org.h2.tools.Shell", "-url", url, "-user", user,
                "-password", password, "-sql", "SELECT CURRENT_USER");
    }
}
