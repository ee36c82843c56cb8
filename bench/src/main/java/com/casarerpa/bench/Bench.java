package com.casarerpa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code scripts/bench}: the load generator of issue 4. For each database it starts a real
 * orchestrator, connects simulated robots over WebSocket, feeds jobs through the REST API and
 * measures end-to-end throughput and dispatch latency; then runs the pgbench baseline. Prints
 * a table and writes every figure as JSON. It is a measuring tool, not a test: it passes
 * whatever the figures are, and fails only when it cannot measure.
 */
public final class Bench {
    /** Drops the benchmark's PostgreSQL databases and ends (what {@code scripts/bench} runs after a kill -9 of the run). */
    static final String CLEAN_UP = "--clean-up";
    /** Where the work directory is made (default: the system's temporary directory); {@code scripts/bench} gives its own. */
    static final String WORK_PROPERTY = "casare.bench.work";

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        if (List.of(args).equals(List.of(CLEAN_UP))) {
            // scripts/bench, after this JVM was killed (-9) before it could drop its databases.
            PostgresTarget pg = PostgresTarget.fromEnvironment();
            for (String database : List.of(DatabaseRun.DATABASE, PgbenchBaseline.DATABASE, StormPhase.DATABASE,
                    SchedulesRun.DATABASE)) {
                pg.drop(database);
            }
            return;
        }
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Path cliJar = Path.of(System.getProperty("casare.cli.jar", "cli/target/casare-rpa.jar"));
        if (!Files.isRegularFile(cliJar)) {
            System.err.println("error: the launcher jar " + cliJar + " is missing; build with: mvn -B -DskipTests package");
            System.exit(1);
        }
        PostgresTarget pg = PostgresTarget.fromEnvironment();
        boolean postgres = o.databases().contains("postgres");
        Map<String, Object> facts = MachineFacts.collect(pg, postgres);
        System.out.printf("CasareRPA benchmark on %s cores, Java %s; %s%n", facts.get("cores"), Runtime.version(),
                String.join("; ", o.describe()));
        String workParent = System.getProperty(WORK_PROPERTY, "");
        Path work = workParent.isBlank() ? Files.createTempDirectory("casare-bench-")
                : Files.createTempDirectory(Path.of(workParent), "casare-bench-");
        List<DatabaseRun.Result> runs = new ArrayList<>();
        PgbenchBaseline.Result pgbench;
        try (Undo.Step removeWork = Undo.push("the work directory " + work, () -> deleteTree(work))) {
            // The phases that run instead of the others, each with servers and a database of its own.
            if (o.schedules() > 0) {
                SchedulesRun.run(o, pg, cliJar, work);
                return;
            }
            if (o.storm() > 0) {
                StormPhase.run(o, pg, cliJar, work);
                return;
            }
            if (o.fleet() > 0) {
                FleetPhase.run(o, pg, cliJar, work);
                return;
            }
            for (String database : o.databases()) {
                runs.add(DatabaseRun.run(database, o, pg, cliJar, work));
            }
            if (postgres) {
                System.out.printf("%n== PostgreSQL alone (pgbench) ==%n");
                pgbench = PgbenchBaseline.run(pg, work, o.pgbenchClients(), o.pgbenchSeconds());
            } else {
                pgbench = PgbenchBaseline.Result.skipped("not run: the baseline is PostgreSQL's, and this run is embedded only");
            }
        }
        ResultTable.print(System.out, o, facts, runs, pgbench);
        ResultsJson.write(o.json(), o, facts, runs, pgbench);
        System.out.println();
        System.out.println("Results written to " + o.json().toAbsolutePath());
        for (DatabaseRun.Result r : runs) {
            if (!r.serverWarnings().isEmpty()) {
                System.out.printf("The %s server logged %d warning(s), e.g.: %s%n", r.database(), r.serverWarnings().size(),
                        r.serverWarnings().getFirst());
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
