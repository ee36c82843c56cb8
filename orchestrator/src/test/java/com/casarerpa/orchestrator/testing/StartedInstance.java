package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.app.Orchestrator;
import com.casarerpa.orchestrator.config.OrchestratorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An orchestrator started as {@code casare-rpa orchestrator start} starts one (no {@code --migrate}),
 * from an environment only, on a free port; and the keys and tokens a test uses against it.
 */
public final class StartedInstance {
    private StartedInstance() {}

    /** Starts an instance with {@code env} (plus its own data directory under {@code workDir} and port 0). */
    public static Orchestrator start(Path workDir, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("CASARE_DATA_DIR", workDir.resolve("data").toString());
        all.putIfAbsent("ORCHESTRATOR_PORT", "0");
        CliContext ctx = new CliContext(all, workDir, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        return Orchestrator.start(OrchestratorConfig.load(ctx, Optional.empty(), Map.of()).settings(),
                Orchestrator.SchemaPolicy.REQUIRE_CURRENT);
    }

    /** A new admin API key, made by {@code create-api-key} with {@code env}. */
    public static String adminKey(Map<String, String> env, Path workDir) {
        CliHarness.Result r = CliHarness.orchestrator(env, workDir, "create-api-key", "--name", "admin", "--role", "admin", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.out().replaceAll("(?s).*\"key\" : \"([^\"]+)\".*", "$1");
    }

    /** A JWT for {@code apiKey}, from {@code POST /api/v1/auth/token} of the instance on {@code port}. */
    public static String token(int port, String apiKey) {
        Http.Response r = new Http(port).post("/api/v1/auth/token", "{\"api_key\":\"" + apiKey + "\"}", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    /** The status of {@code GET /api/v1/workflows} with {@code token} as the bearer: 200 when the instance accepts it. */
    public static int workflowsWith(int port, String token) {
        return new Http(port).get("/api/v1/workflows", Map.of("Authorization", "Bearer " + token)).status();
    }
}
