package com.casarerpa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phase 3, the yardstick: what PostgreSQL alone does on this machine with the queue's essential
 * statements, run by {@code pgbench} with no orchestrator in between. One pgbench transaction is
 * one job's life in three autocommit statements (three durable commits, as the orchestrator
 * needs at least): insert it pending; claim the best pending job with
 * {@code UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id}; complete
 * it. The queue starts with a backlog so a claim always finds work.
 */
final class PgbenchBaseline {
    static final String DATABASE = DatabaseRun.DATABASE + "_pgbench";
    private static final int BACKLOG = 10_000;
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    static final String SCRIPT = """
            \\set p random(0, 20)
            INSERT INTO bench_jobs (state, priority, payload) VALUES ('pending', :p, '{"variables":{}}');
            UPDATE bench_jobs SET state = 'running', lease_token = gen_random_uuid(), lease_expires_at = now() + interval '300 seconds' WHERE id IN (SELECT id FROM bench_jobs WHERE state = 'pending' ORDER BY priority DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id \\gset
            UPDATE bench_jobs SET state = 'succeeded', lease_expires_at = NULL, finished_at = now() WHERE id = :id;
            """;

    /** @param skipped why it did not run, or null when it ran */
    record Result(String skipped, double tps, double latencyMs, int clients, int seconds, String script, String command) {
        static Result skipped(String why) {
            return new Result(why, 0, 0, 0, 0, SCRIPT, "");
        }

        boolean ran() {
            return skipped == null;
        }
    }

    static Optional<Path> findPgbench() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(Path.of(dir, "pgbench"));
        }
        candidates.add(Path.of("/usr/bin/pgbench"));
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.sorted(java.util.Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin/pgbench")));
        } catch (IOException e) {
            // no Debian-style installation
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    static Result run(PostgresTarget pg, Path workDir, int clients, int seconds) throws Exception {
        Optional<Path> pgbench = findPgbench();
        if (pgbench.isEmpty()) {
            return Result.skipped("pgbench not found (PATH, /usr/bin, /usr/lib/postgresql/*/bin)");
        }
        try (Undo.Step drop = pg.fresh(DATABASE)) {
            pg.execute(DATABASE,
                    "CREATE TABLE bench_jobs (id BIGSERIAL PRIMARY KEY, state VARCHAR(16) NOT NULL, priority INTEGER NOT NULL,"
                            + " payload TEXT NOT NULL, lease_token UUID, lease_expires_at TIMESTAMPTZ,"
                            + " created_at TIMESTAMPTZ NOT NULL DEFAULT now(), finished_at TIMESTAMPTZ)",
                    "CREATE INDEX bench_jobs_claim ON bench_jobs (priority DESC, id) WHERE state = 'pending'",
                    "INSERT INTO bench_jobs (state, priority, payload) SELECT 'pending', (g % 21), '{\"variables\":{}}'"
                            + " FROM generate_series(1, " + BACKLOG + ") g",
                    "VACUUM ANALYZE bench_jobs");
            Path script = workDir.resolve("claim-and-complete.sql");
            Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
            List<String> command = List.of(pgbench.get().toString(), "-h", pg.host(), "-p", Integer.toString(pg.port()),
                    "-U", pg.user(), "-n", "-M", "prepared", "-f", script.toString(), "-c", Integer.toString(clients),
                    "-j", Integer.toString(Math.min(clients, Runtime.getRuntime().availableProcessors())),
                    "-T", Integer.toString(seconds), "-P", Integer.toString(Math.max(1, Math.min(5, seconds))), DATABASE);
            System.out.printf("  [pgbench] %d clients, %d s: %s%n", clients, seconds, String.join(" ", command));
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
            pg.password().ifPresent(p -> b.environment().put("PGPASSWORD", p));
            Process p = b.start();
            Undo.recordPid(p.pid());
            StringBuilder out = new StringBuilder();
            try (var lines = p.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    out.append(line).append('\n');
                    if (line.startsWith("progress:")) {
                        System.out.println("  [pgbench] " + line);
                    }
                }
            }
            if (p.waitFor() != 0) {
                return Result.skipped("pgbench failed (exit " + p.exitValue() + "):\n" + out);
            }
            Matcher tps = TPS.matcher(out);
            Matcher latency = LATENCY.matcher(out);
            if (!tps.find()) {
                return Result.skipped("pgbench printed no tps:\n" + out);
            }
            return new Result(null, Double.parseDouble(tps.group(1)),
                    latency.find() ? Double.parseDouble(latency.group(1)) : 0, clients, seconds, SCRIPT, String.join(" ", command));
        }
    }
}
