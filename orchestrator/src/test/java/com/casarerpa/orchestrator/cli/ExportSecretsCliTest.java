package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export-workflows} and {@code export-workflow} hide the values of sensitive variables
 * unless {@code --include-secrets} is given (an admin's, over the API); an import never stores the
 * mask: a masked version is restored only where it already exists, and a backup with secrets
 * restores an empty database.
 */
class ExportSecretsCliTest {
    private static final String SECRET = "s3cret-db-pass-for-backup";

    @TempDir
    Path work;

    private Result run(Map<String, String> env, String... args) {
        return CliHarness.orchestrator(env, work, args);
    }

    private static void assertOk(Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
    }

    private String read(String name) throws IOException {
        return Files.readString(work.resolve(name));
    }

    @Test
    void a_backup_restores_only_with_its_secrets_and_a_masked_one_never_stores_the_mask() throws IOException {
        Files.writeString(work.resolve("payroll.json"), workflow());
        try (MigratedDatabase from = MigratedDatabase.h2(work.resolve("from")); MigratedDatabase to = MigratedDatabase.postgres()) {
            assertOk(run(from.env(), "deploy", "payroll.json", "--name", "Payroll"));

            Result masked = run(from.env(), "export-workflows", "--output", "masked.json");
            Result one = run(from.env(), "export-workflow", "Payroll", "--output", "one.json");
            Result full = run(from.env(), "export-workflows", "--output", "full.json", "--include-secrets");

            for (Result r : new Result[] {masked, one}) {
                assertOk(r);
                assertThat(r.out()).contains("The values of sensitive variables are hidden in 1 version");
            }
            assertThat(read("masked.json")).doesNotContain(SECRET).contains("\"***\"").contains("\"masked_variables\"");
            assertThat(read("one.json")).doesNotContain(SECRET).contains("\"***\"");
            assertOk(full);
            assertThat(full.out()).contains("keep it safe");
            assertThat(read("full.json")).contains(SECRET).doesNotContain("\"***\"");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("full.json")))).isEqualTo("rw-------");

            Result refused = run(to.env(), "import-workflows", "masked.json");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err().lines()).as(refused.toString()).hasSize(1).first().asString()
                    .startsWith("error: workflows[0].versions[0].masked_variables: ").contains("db_password").contains("--include-secrets");
            assertThat(run(to.env(), "export-workflows", "--output", "empty.json").out()).startsWith("Exported 0 workflows");

            assertOk(run(to.env(), "import-workflows", "full.json"));
            Result again = run(to.env(), "import-workflows", "masked.json");
            assertOk(again);
            assertThat(again.out()).contains("Skipped").contains("identical");
            assertOk(run(to.env(), "export-workflows", "--output", "restored.json", "--include-secrets"));
            assertThat(read("restored.json")).contains(SECRET);
        }
    }

    @Test
    void over_the_api_only_an_admin_key_exports_the_secrets() throws IOException {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(work)) {
            Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());
            String viewer = http.post("/api/v1/api-keys", "{\"name\":\"viewer\",\"role\":\"viewer\"}", admin).json().get("key").asText();
            assertThat(http.post("/api/v1/workflows", "{\"name\":\"Payroll\",\"workflow_data\":" + workflow() + "}", admin).status())
                    .isEqualTo(201);
            Map<String, String> noDatabase = Map.of("CASARE_DATA_DIR", work.resolve("must-not-be-used").toString());

            Result asViewer = run(noDatabase, "export-workflow", "Payroll", "--output", "v.json", "--include-secrets",
                    "--url", server.url(), "--api-key", viewer);
            Result masked = run(noDatabase, "export-workflows", "--output", "m.json", "--url", server.url(), "--api-key", viewer);
            Result asAdmin = run(noDatabase, "export-workflows", "--output", "a.json", "--include-secrets",
                    "--url", server.url(), "--api-key", admin.get("X-API-Key"));

            assertThat(asViewer.exitCode()).as(asViewer.toString()).isEqualTo(1);
            assertThat(asViewer.err().lines()).as(asViewer.toString()).hasSize(1).first().asString()
                    .startsWith("error: ").contains("403").contains("workflow.export_secrets");
            assertThat(work.resolve("v.json")).doesNotExist();
            assertOk(masked);
            assertThat(read("m.json")).doesNotContain(SECRET).contains("\"***\"");
            assertOk(asAdmin);
            assertThat(read("a.json")).contains(SECRET);
        }
    }

    private static String workflow() {
        return "{\"metadata\":{\"name\":\"Payroll\"},\"nodes\":{"
                + "\"start\":{\"node_id\":\"start\",\"node_type\":\"StartNode\",\"config\":{}},"
                + "\"end\":{\"node_id\":\"end\",\"node_type\":\"EndNode\",\"config\":{}}},"
                + "\"connections\":[{\"source_node\":\"start\",\"source_port\":\"exec_out\",\"target_node\":\"end\","
                + "\"target_port\":\"exec_in\"}],"
                + "\"variables\":{\"db_password\":{\"type\":\"string\",\"default_value\":\"" + SECRET + "\",\"sensitive\":true},"
                + "\"region\":\"emea\"}}";
    }
}
