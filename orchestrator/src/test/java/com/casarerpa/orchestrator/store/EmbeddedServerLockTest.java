package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.HoldEmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServerLockTest {
    @TempDir
    Path dataDir;

    @Test
    void the_lock_file_holds_the_pid_of_the_server() throws Exception {
        try (EmbeddedServerLock lock = EmbeddedServerLock.acquire(dataDir)) {
            assertThat(lock.file()).isEqualTo(dataDir.toAbsolutePath().resolve("orchestrator.lock"));
            assertThat(Files.readString(lock.file()).strip()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
        }
    }

    @Test
    void a_second_server_in_the_same_process_is_refused() {
        try (EmbeddedServerLock first = EmbeddedServerLock.acquire(dataDir)) {
            assertThatThrownBy(() -> EmbeddedServerLock.acquire(dataDir))
                    .isInstanceOf(EmbeddedDatabaseInUseException.class)
                    .hasMessageContaining("the embedded database in " + dataDir.toAbsolutePath() + " is already in use")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void the_lock_can_be_taken_again_after_release() {
        EmbeddedServerLock.acquire(dataDir).close();

        try (EmbeddedServerLock again = EmbeddedServerLock.acquire(dataDir)) {
            assertThat(again.file()).exists();
        }
    }

    @Test
    void a_server_in_another_process_is_named_by_its_pid_with_what_to_do() throws Exception {
        try (ChildJvm server = ChildJvm.start(HoldEmbeddedDatabase.class, "server", dataDir.toString()).awaitLine("ready")) {
            assertThatThrownBy(() -> EmbeddedServerLock.acquire(dataDir))
                    .isInstanceOf(EmbeddedDatabaseInUseException.class)
                    .hasMessage("the embedded database in " + dataDir.toAbsolutePath() + " is already in use by another"
                            + " orchestrator server (pid " + server.pid() + "), lock file "
                            + dataDir.toAbsolutePath().resolve("orchestrator.lock") + "; stop that server, or give this one"
                            + " its own data directory (CASARE_DATA_DIR), or set DATABASE_URL to a PostgreSQL database"
                            + " to run several instances")
                    .satisfies(e -> assertThat(((EmbeddedDatabaseInUseException) e).holderPid()).hasValue(server.pid()));
        }
    }

    @Test
    void the_lock_of_a_killed_server_is_released_by_the_os() throws Exception {
        ChildJvm server = ChildJvm.start(HoldEmbeddedDatabase.class, "server", dataDir.toString()).awaitLine("ready");
        server.close();

        try (EmbeddedServerLock lock = EmbeddedServerLock.acquire(dataDir)) {
            assertThat(Files.readString(lock.file()).strip()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
        }
    }
}
