package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start's admin key: made once the server is up, and kept in an owner-only file of the data directory. */
class InitialAdminKeyTest {
    @TempDir
    Path workDir;

    private Path keyFile() {
        return workDir.resolve("data").resolve("initial-admin.key");
    }

    @Test
    void a_first_start_whose_port_is_taken_leaves_the_admin_key_to_the_next_start() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> RunningOrchestrator.embedded(workDir,
                    Map.of("ORCHESTRATOR_PORT", Integer.toString(taken.getLocalPort()))))
                    .hasRootCauseInstanceOf(BindException.class);
        }
        assertThat(keyFile()).doesNotExist();

        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            String key = server.orchestrator().bootstrapKey().orElseThrow(() -> new AssertionError("no admin key shown"));
            assertThat(server.http().get("/api/v1/api-keys", Map.of("X-API-Key", key)).status()).isEqualTo(200);
            assertThat(Files.readString(keyFile())).isEqualTo(key + "\n");
            assertThat(server.orchestrator().initialAdminKey().orElseThrow().file()).contains(keyFile().toAbsolutePath());
        }
    }

    @Test
    void the_key_file_is_owner_only_and_a_restart_neither_rewrites_it_nor_makes_another_key() throws Exception {
        String key;
        try (RunningOrchestrator first = RunningOrchestrator.embedded(workDir)) {
            key = first.orchestrator().bootstrapKey().orElseThrow();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
        long written = Files.getLastModifiedTime(keyFile()).toMillis();

        try (RunningOrchestrator again = RunningOrchestrator.embedded(workDir)) {
            assertThat(again.orchestrator().initialAdminKey()).isEmpty();
            assertThat(again.http().get("/api/v1/api-keys", Map.of("X-API-Key", key)).status()).isEqualTo(200);
        }
        assertThat(Files.readString(keyFile())).isEqualTo(key + "\n");
        assertThat(Files.getLastModifiedTime(keyFile()).toMillis()).isEqualTo(written);
    }

    @Test
    void production_writes_no_key_file() {
        try (RunningOrchestrator server = RunningOrchestrator.postgres(workDir)) {
            assertThat(server.orchestrator().initialAdminKey()).isEmpty();
        }
        assertThat(keyFile()).doesNotExist();
    }
}
