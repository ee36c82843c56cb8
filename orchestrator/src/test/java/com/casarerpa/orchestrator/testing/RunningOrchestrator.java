package com.casarerpa.orchestrator.testing;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.app.Orchestrator;
import com.casarerpa.orchestrator.config.OrchestratorConfig;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A whole orchestrator on a free port, on a fresh embedded database or a fresh PostgreSQL
 * database (copied from the migrated template), with the environment a test also hands to in-process CLI runs.
 */
public final class RunningOrchestrator implements AutoCloseable {
    public static final String SECRET = "test-signing-key-of-at-least-32-characters";

    private final Orchestrator orchestrator;
    private final Map<String, String> env;
    private final Optional<String> pgDatabase;

    private RunningOrchestrator(Orchestrator orchestrator, Map<String, String> env, Optional<String> pgDatabase) {
        this.orchestrator = orchestrator;
        this.env = env;
        this.pgDatabase = pgDatabase;
    }

    /** On the embedded database of {@code workDir/data}: the quick start, admin key included. */
    public static RunningOrchestrator embedded(Path workDir) {
        return embedded(workDir, Map.of());
    }

    /** The same, with more environment (e.g. {@code CASARE_ORCHESTRATOR_RATE_LIMIT_BURST}). */
    public static RunningOrchestrator embedded(Path workDir, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CASARE_DATA_DIR", workDir.resolve("data").toString());
        return start(workDir, env, Optional.empty());
    }

    /** On the embedded database, with a clock the test moves (schedules, tokens and ids follow it). */
    public static RunningOrchestrator embedded(Path workDir, Map<String, String> extraEnv, java.time.Clock clock) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CASARE_DATA_DIR", workDir.resolve("data").toString());
        return start(workDir, env, Optional.empty(), clock);
    }

    /** On a new PostgreSQL database (a copy of the migrated template); dropped by {@link #close()}. */
    public static RunningOrchestrator postgres(Path workDir) {
        return postgres(workDir, Map.of());
    }

    /** Another instance on an existing PostgreSQL database (shared with another instance; not dropped). */
    public static RunningOrchestrator postgresOn(Path workDir, String database) {
        return postgresOn(workDir, database, Map.of());
    }

    public static RunningOrchestrator postgresOn(Path workDir, String database, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CASARE_DATA_DIR", workDir.resolve("data").toString());
        env.put("DATABASE_URL", TestPostgres.url(database));
        env.put("ORCHESTRATOR_SECRET_KEY", SECRET);
        return start(workDir, env, Optional.empty());
    }

    /** An instance on the PostgreSQL database at {@code url} (through a {@link TcpProxy}, say); not dropped. */
    public static RunningOrchestrator postgresAt(Path workDir, String url, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CASARE_DATA_DIR", workDir.resolve("data").toString());
        env.put("DATABASE_URL", url);
        env.put("ORCHESTRATOR_SECRET_KEY", SECRET);
        return start(workDir, env, Optional.empty());
    }

    public static RunningOrchestrator postgres(Path workDir, Map<String, String> extraEnv) {
        return postgres(workDir, extraEnv, java.time.Clock.systemUTC());
    }

    /** On a new PostgreSQL database, with a clock the test sets (the database keeps its own). */
    public static RunningOrchestrator postgres(Path workDir, Map<String, String> extraEnv, java.time.Clock clock) {
        String db = TestPostgres.createMigratedDatabase();
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CASARE_DATA_DIR", workDir.resolve("data").toString());
        env.put("DATABASE_URL", TestPostgres.url(db));
        env.put("ORCHESTRATOR_SECRET_KEY", SECRET);
        return start(workDir, env, Optional.of(db), clock);
    }

    private static RunningOrchestrator start(Path workDir, Map<String, String> env, Optional<String> pgDatabase) {
        return start(workDir, env, pgDatabase, java.time.Clock.systemUTC());
    }

    private static RunningOrchestrator start(Path workDir, Map<String, String> env, Optional<String> pgDatabase,
            java.time.Clock clock) {
        Map<String, String> withPort = new HashMap<>(env);
        withPort.putIfAbsent("ORCHESTRATOR_PORT", "0"); // a fixed port lets a test restart an instance where robots find it
        CliContext ctx = new CliContext(withPort, workDir, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        OrchestratorSettings settings = OrchestratorConfig.load(ctx, Optional.empty(), Map.of()).settings();
        Orchestrator o = Orchestrator.start(settings, Orchestrator.SchemaPolicy.MIGRATE, clock);
        return new RunningOrchestrator(o, Map.copyOf(env), pgDatabase);
    }

    public Orchestrator orchestrator() {
        return orchestrator;
    }

    /**
     * An admin key: the quick start's on the embedded database, else a new one made by
     * {@code create-api-key} (run in {@code workDir}).
     */
    public String adminKey(Path workDir) {
        return orchestrator.bootstrapKey().orElseGet(() -> CliHarness.orchestrator(env, workDir, "create-api-key", "--name", "admin",
                "--role", "admin", "--json").out().replaceAll("(?s).*\"key\" : \"([^\"]+)\".*", "$1"));
    }

    public Http http() {
        return new Http(orchestrator.port());
    }

    public String url() {
        return "http://127.0.0.1:" + orchestrator.port();
    }

    /** The PostgreSQL database this server was given (dropped at close); empty on the embedded database. */
    public Optional<String> pgDatabase() {
        return pgDatabase;
    }

    /** The environment that points CLI commands at the same database. */
    public Map<String, String> env() {
        return env;
    }

    @Override
    public void close() {
        orchestrator.close();
        pgDatabase.ifPresent(TestPostgres::dropDatabase);
    }
}
