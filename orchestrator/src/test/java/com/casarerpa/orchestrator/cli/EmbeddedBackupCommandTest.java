package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OrchestratorProcess;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.StartedInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup} of the embedded database while its server runs (in a JVM of its own, so the
 * command reaches the database through AUTO_SERVER as an operator's would), and {@code restore}
 * of that file into a new data directory: a server started there has the workflows, jobs and API
 * keys of the moment of the backup, and the tokens issued before it still work.
 */
class EmbeddedBackupCommandTest {
    @TempDir
    Path workDir;
    @TempDir
    Path restoredDir;

    @Test
    void a_backup_taken_while_the_server_runs_restores_into_a_working_data_directory() throws Exception {
        Path data = workDir.resolve("data");
        Map<String, String> env = Map.of("CASARE_DATA_DIR", data.toString());
        String adminKey;
        String viewerKey;
        String token;
        String workflow;
        String job;
        try (ChildJvm server = ChildJvm.start(OrchestratorProcess.class, workDir.toString(), OrchestratorProcess.EMBEDDED)) {
            int port = Integer.parseInt(server.awaitLineStartingWith(OrchestratorProcess.PORT_LINE));
            Http http = new Http(port);
            adminKey = Files.readString(data.resolve("initial-admin.key")).strip();
            Map<String, String> admin = Map.of("X-API-Key", adminKey);
            Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"kept\",\"workflow_data\":" + Samples.chain("kept", "a")
                    + "}", admin);
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
            workflow = deployed.json().get("id").asText();
            job = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflow + "\"}", admin).json().get("id").asText();
            viewerKey = http.post("/api/v1/api-keys", "{\"name\":\"viewer\",\"role\":\"viewer\"}", admin).json().get("key").asText();
            token = StartedInstance.token(port, adminKey);

            CliHarness.Result backup = CliHarness.orchestrator(env, workDir, "backup", "--output", "nightly.zip");
            assertThat(backup.exitCode()).as(backup.toString()).isZero();
            assertThat(backup.out()).contains("Backed up", workDir.resolve("nightly.zip").toString());
            assertThat(http.post("/api/v1/workflows", "{\"name\":\"later\",\"workflow_data\":" + Samples.chain("later", "b") + "}",
                    admin).status()).as("the server went on while and after it was backed up").isEqualTo(201);

            CliHarness.Result again = CliHarness.orchestrator(env, workDir, "backup", "--output", "nightly.zip");
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).startsWith("error: ").contains("already exists").hasLineCount(1);
        }
        Path archive = workDir.resolve("nightly.zip");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-------");
        assertThat(entries(archive)).containsExactlyInAnyOrder("casare.mv.db", "database.password", "secret.key");
        CliHarness.Result offline = CliHarness.orchestrator(env, workDir, "backup", "--output", "offline.zip");
        assertThat(offline.exitCode()).as("with no server running: " + offline).isZero();
        assertThat(entries(workDir.resolve("offline.zip"))).containsExactlyInAnyOrder("casare.mv.db", "database.password",
                "secret.key");
        assertThat(workDir).isDirectoryNotContaining("glob:**/.casare-backup-*");

        Map<String, String> restoredEnv = Map.of("CASARE_DATA_DIR", restoredDir.resolve("data").toString());
        CliHarness.Result restore = CliHarness.orchestrator(restoredEnv, workDir, "restore", "nightly.zip");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("the database opens, schema version");
        CliHarness.Result twice = CliHarness.orchestrator(restoredEnv, workDir, "restore", "nightly.zip");
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.err()).contains("already holds a database").hasLineCount(1);

        try (RunningOrchestrator restored = RunningOrchestrator.embedded(restoredDir)) {
            Http http = restored.http();
            Map<String, String> admin = Map.of("X-API-Key", adminKey);
            assertThat(http.get("/api/v1/workflows/" + workflow, admin).status()).isEqualTo(200);
            assertThat(http.get("/api/v1/workflows/later", admin).status()).as("made after the backup").isEqualTo(404);
            assertThat(http.get("/api/v1/jobs/" + job, admin).json().get("state").asText()).isEqualTo("pending");
            assertThat(http.get("/api/v1/workflows", Map.of("X-API-Key", viewerKey)).status()).isEqualTo(200);
            assertThat(StartedInstance.workflowsWith(restored.orchestrator().port(), token)).as("a token from before").isEqualTo(200);
        }
    }

    @Test
    void postgresql_is_backed_up_with_pg_dump_and_the_command_says_so() {
        CliHarness.Result r = CliHarness.orchestrator(Map.of("DATABASE_URL", "postgresql://casare:hunter2@db:5432/casare"), workDir,
                "backup");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("pg_dump -h HOST -U USER casare > backup.sql").doesNotContain("hunter2")
                .hasLineCount(1);
    }

    private static List<String> entries(Path zip) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
