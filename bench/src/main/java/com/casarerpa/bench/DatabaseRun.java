package com.casarerpa.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Both orchestrator phases against one database: a fresh database, a server on it, a fleet key
 * and a no-op workflow made through the API, the robots connected; then throughput, then
 * latency; then everything is taken down again (the PostgreSQL database is dropped).
 */
final class DatabaseRun {
    /**
     * {@code casare_bench}, or {@code CASARE_BENCH_PG_DATABASE} (a name starting so): two runs on
     * one PostgreSQL server at once need names of their own, since a run drops its database first.
     */
    static final String DATABASE = PostgresTarget.databaseName();
    static final String SECRET = "casare-bench-signing-key-not-for-production-use";

    /** {@code throughput} and {@code latency} are null with {@code --submit-only}; {@code submits} without {@code --submit-clients}. */
    record Result(String database, ThroughputPhase.Result throughput, LatencyPhase.Result latency, ReadsPhase.Result reads,
            SubmitPhase.Result submits, JsonNode serverConfig, List<String> serverWarnings) {}

    static Result run(String database, BenchOptions o, PostgresTarget pg, Path cliJar, Path workRoot) throws Exception {
        Path workDir = Files.createDirectories(workRoot.resolve(database));
        Map<String, String> env = Map.of();
        // The embedded database is in the work directory, which goes with the run.
        Undo.Step drop = database.equals("postgres") ? pg.fresh(DATABASE) : null;
        if (database.equals("postgres")) {
            env = Map.of("DATABASE_URL", pg.databaseUrl(DATABASE), "ORCHESTRATOR_SECRET_KEY", SECRET);
        }
        try (drop) {
            System.out.printf("%n== %s ==%n  starting the orchestrator (%s)...%n", database,
                    database.equals("postgres") ? pg.databaseUrl(DATABASE) : "embedded H2 in " + workDir.resolve("data"));
            try (ServerProcess server = ServerProcess.start(cliJar, workDir, env)) {
                OrchestratorApi admin = new OrchestratorApi(server.baseUrl(), server.adminKey());
                String workflowId = admin.deployNoopWorkflow();
                OrchestratorApi operator = admin.withKey(admin.createKey("bench producer", "operator"));
                String fleetKey = admin.createKey("bench fleet", "robot");
                if (o.history() > 0 && database.equals("postgres")) {
                    HistoryFill.fill(pg, DATABASE, workflowId, o.history());
                } else if (o.history() > 0) {
                    System.out.printf("  --history: PostgreSQL only; the %s run has none%n", database);
                }
                System.out.printf("  server pid %d at %s%s%n", server.pid(), server.baseUrl(), o.submitOnly() ? ""
                        : String.format("; connecting %d robots x %d slots...", o.robots(), o.slots()));
                ThroughputPhase.Result throughput = null;
                LatencyPhase.Result latency = null;
                ReadsPhase.Result reads = null;
                LongSupplier commits = database.equals("postgres") ? () -> pg.commits(DATABASE) : () -> -1;
                if (!o.submitOnly()) {
                    try (Fleet fleet = Fleet.connect(server.baseUrl(), fleetKey, o.robots(), o.slots())) {
                        throughput = ThroughputPhase.run(database, operator, workflowId, fleet, o, commits,
                                () -> steadyState(database, pg));
                        latency = LatencyPhase.run(database, operator, workflowId, fleet, o, commits);
                    }
                    reads = ReadsPhase.run(database, operator);
                }
                SubmitPhase.Result submits = null;
                if (o.submitClients() > 0) {
                    // After the other phases the server is warm; on its own it warms up as they do.
                    int warmup = o.submitOnly() ? o.warmupSeconds() : o.quick() ? 2 : 5;
                    submits = SubmitPhase.run(database, server.baseUrl(), operator.key(), workflowId, o.submitClients(), warmup,
                            o.submitSeconds(), commits);
                }
                List<String> warnings = server.warnings();
                return new Result(database, throughput, latency, reads, submits, server.config(), warnings);
            }
        }
    }

    /**
     * PostgreSQL: {@code ANALYZE} the fresh database once the warm-up has filled it. Its tables
     * start with no statistics, and autovacuum analyzes them only at its next round (up to
     * {@code autovacuum_naptime}, 60 s, later): until then the planner plans for empty tables, and
     * the throughput measured depends on when that round happens to come. A production database
     * that has seen this much traffic is analyzed.
     */
    private static void steadyState(String database, PostgresTarget pg) {
        if (database.equals("postgres")) {
            long start = System.nanoTime();
            pg.execute(DATABASE, "ANALYZE");
            System.out.printf("  [%s] warm-up done: ANALYZE in %d ms (as autovacuum would on a database this busy)%n", database,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }
}
