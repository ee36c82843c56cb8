package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.app.Orchestrator;
import com.casarerpa.orchestrator.config.LoadedConfig;
import com.casarerpa.orchestrator.config.OrchestratorConfig;
import com.casarerpa.orchestrator.testing.Http;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code start --reload}: a change of the configuration file restarts the server in the same
 * JVM with the new configuration, a file that does not load leaves the running server alone, and
 * the dashboard's files come from the source directory at each request.
 */
class ReloadingServerTest {
    @TempDir
    Path dir;

    @Test
    void a_changed_configuration_restarts_the_server_and_dashboard_edits_show_at_once() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config")).resolve("orchestrator.yaml");
        int first = freePort();
        Files.writeString(config, "orchestrator:\n  port: " + first + "\n");
        Path dashboard = Files.createDirectories(dir.resolve("dashboard/assets"));
        Files.writeString(dashboard.resolve("app.js"), "// one\n");
        Files.writeString(dir.resolve("dashboard/index.html"), "<html>page one</html>");

        CliContext ctx = new CliContext(Map.of("CASARE_DATA_DIR", dir.resolve("data").toString()), dir,
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        Supplier<LoadedConfig> load = () -> OrchestratorConfig.load(ctx, Optional.empty(), Map.of());
        ReloadingServer server = new ReloadingServer(ctx, load,
                new ServerRun.Mode(Orchestrator.SchemaPolicy.MIGRATE, Optional.empty(), Optional.of(dir.resolve("dashboard"))));
        Thread running = Thread.ofPlatform().start(() -> {
            try {
                server.run(load.get());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Http one = new Http(first);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> one.get("/health").status() == 200);
            assertThat(one.get("/assets/app.js").body()).contains("// one");
            Files.writeString(dashboard.resolve("app.js"), "// two\n");
            Files.writeString(dir.resolve("dashboard/index.html"), "<html>page two</html>");
            assertThat(one.get("/assets/app.js").body()).as("an edited asset, at the next request").contains("// two");
            assertThat(one.get("/jobs").body()).as("the page of a deep link, edited").contains("page two");

            int second = freePort();
            Files.writeString(config, "orchestrator:\n  port: " + second + "\n");
            Http two = new Http(second);
            await("the server restarted on the new port").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> two.get("/health").status() == 200);

            Files.writeString(config, "orchestrator:\n  port: eighty\n");
            await("a file that does not load is ignored").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> two.get("/health").status() == 200);
            assertThat(dir.resolve("data/orchestrator.pid")).as("the pid file of the restarted server").exists();
        } finally {
            server.stop();
            running.join(Duration.ofSeconds(30));
        }
        assertThat(running.isAlive()).as("run() ends once stopped").isFalse();
        assertThat(dir.resolve("data/orchestrator.pid")).as("removed at stop").doesNotExist();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
