package com.casarerpa.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --history N}: a big history in the benchmark's PostgreSQL database before the robots
 * connect: N finished jobs of the benchmark's workflow, each with its attempt and two log lines,
 * created over the 80 days before now (5 % failed, under 7 error signatures; 2 % cancelled;
 * the rest succeeded), and 1 % more finished 100 days ago, past the default retention of 90
 * days, for the server's retention loop to purge during the run.
 *
 * <p>Written as a restore would write it, not through the API (which would take hours): the
 * secondary indexes of {@code jobs}, {@code job_attempts} and {@code job_logs} are dropped, the
 * rows inserted in chunks with progress lines, the indexes built again from their own
 * definitions, then {@code VACUUM ANALYZE}, so the server meets a table as autovacuum would
 * leave it.
 */
final class HistoryFill {
    private static final long CHUNK = 250_000;
    private static final List<String> TABLES = List.of("jobs", "job_attempts", "job_logs");

    private HistoryFill() {}

    /** Fills {@code database} with {@code rows} finished jobs (plus 1 % expired ones) of {@code workflowId}, version 1. */
    static void fill(PostgresTarget pg, String database, String workflowId, long rows) throws SQLException {
        long expired = Math.max(1, rows / 100);
        long start = System.nanoTime();
        System.out.printf("  history: %,d finished jobs over 80 days and %,d expired ones, with attempts and logs...%n", rows, expired);
        try (Connection c = pg.open(database); Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = off");
            s.execute("SET maintenance_work_mem = '512MB'");
            List<String> indexes = secondaryIndexes(c);
            for (String drop : indexes) {
                s.execute("DROP INDEX " + drop.split("\t")[0]);
            }
            long done = 0;
            while (done < rows + expired) {
                long from = done + 1;
                long to = Math.min(rows + expired, done + CHUNK);
                insert(c, workflowId, from, to, rows);
                done = to;
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("  history: %,d of %,d jobs written (%,.0f jobs/s)%n", done, rows + expired, done / seconds);
            }
            for (String index : indexes) {
                long t = System.nanoTime();
                s.execute(index.split("\t")[1]);
                System.out.printf("  history: index %s built in %.1f s%n", index.split("\t")[0], (System.nanoTime() - t) / 1e9);
            }
            long t = System.nanoTime();
            s.execute("VACUUM ANALYZE jobs, job_attempts, job_logs");
            System.out.printf("  history: VACUUM ANALYZE in %.1f s; %s in all%n", (System.nanoTime() - t) / 1e9,
                    seconds(System.nanoTime() - start));
        }
    }

    /** {@code name TAB definition} of each index of the job tables that no constraint owns (those stay). */
    private static List<String> secondaryIndexes(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
                + " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                + " WHERE t.relname = ANY (?) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)"
                + " ORDER BY i.relname")) {
            q.setArray(1, c.createArrayOf("text", TABLES.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "\t" + rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * Jobs {@code from..to}: numbers up to {@code rows} spread over the last 80 days, the rest 100
     * days ago. Ids sort before the server's own (ULIDs of today start with {@code 01}).
     */
    private static void insert(Connection c, String workflowId, long from, long to, long rows) throws SQLException {
        // Parameters: rows, from, to, workflow id.
        String jobs = "WITH p AS (SELECT CAST(? AS bigint) AS rows), s AS (SELECT g, CASE WHEN g <= p.rows"
                + " THEN now() - interval '80 days' + g * (interval '80 days' / p.rows)"
                + " ELSE now() - interval '100 days' + (g - p.rows) * interval '1 millisecond' END AS t"
                + " FROM p, generate_series(CAST(? AS bigint), CAST(? AS bigint)) g),"
                + " j AS (INSERT INTO jobs (id, workflow_id, workflow_version, state, priority, variables, tags, max_retries,"
                + " attempt, run_after, robot_id, result, error_type, error_message, error_signature, source, created_by,"
                + " created_at, updated_at, started_at, finished_at, folder_id)"
                + " SELECT 'job_00h' || lpad(g::text, 23, '0'), ?, 1,"
                + " CASE WHEN g % 20 = 0 THEN 'failed' WHEN g % 50 = 1 THEN 'cancelled' ELSE 'succeeded' END, (g % 5)::int,"
                + " '{}', '[]', 0, 1, t, 'bench-history-' || (g % 100),"
                + " CASE WHEN g % 20 = 0 OR g % 50 = 1 THEN NULL ELSE '{\"executed_nodes\":3,\"duration_ms\":20}' END,"
                + " CASE WHEN g % 20 = 0 THEN 'NodeExecutionError' END,"
                + " CASE WHEN g % 20 = 0 THEN 'the portal answered 503 on page ' || (g % 7) END,"
                + " CASE WHEN g % 20 = 0 THEN 'bench' || (g % 7) END, 'api', 'bench', t, t + interval '2 seconds',"
                + " t + interval '1 second', t + interval '2 seconds', 'root' FROM s RETURNING id, state, created_at, robot_id)"
                + " INSERT INTO job_attempts (job_id, attempt, robot_id, lease_token, assigned_at, started_at, ended_at, outcome)"
                + " SELECT id, 1, robot_id, md5(id), created_at, created_at + interval '1 second', created_at + interval '2 seconds',"
                + " state FROM j";
        String logs = "INSERT INTO job_logs (job_id, attempt, logged_at, level, message, seq, node_id, node_type)"
                + " SELECT 'job_00h' || lpad(g::text, 23, '0'), 1, now(), 'INFO', v.m, v.n, 'start', 'StartNode'"
                + " FROM generate_series(CAST(? AS bigint), CAST(? AS bigint)) g,"
                + " (VALUES ('node started', 1), ('node finished', 2)) v(m, n)";
        try (PreparedStatement j = c.prepareStatement(jobs); PreparedStatement l = c.prepareStatement(logs)) {
            j.setLong(1, rows);
            j.setLong(2, from);
            j.setLong(3, to);
            j.setString(4, workflowId);
            j.executeUpdate();
            l.setLong(1, from);
            l.setLong(2, to);
            l.executeUpdate();
        }
    }

    private static String seconds(long nanos) {
        long s = nanos / 1_000_000_000L;
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
