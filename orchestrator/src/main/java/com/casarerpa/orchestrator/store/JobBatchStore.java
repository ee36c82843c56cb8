package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.JobBatch;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * {@code job_bulk_actions}: bulk actions and their progress. A batch leaves {@code running} once, by
 * compare-and-set on its state (column {@code status}: {@link #finish}, {@link #cancel},
 * {@link #expire}); progress is written only while it runs, so an instance whose batch was
 * cancelled or given up learns it at its next write. Times are the database's.
 */
public final class JobBatchStore {
    private static final String COLUMNS = "id, action, filter, status, total, done, skipped, failed, error, creator, created_by,"
            + " created_at, updated_at, finished_at";

    /** How batch ids start. */
    public static final String ID_PREFIX = "batch_";

    private final Jdbi jdbi;

    public JobBatchStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Stores a new running batch of {@code total} jobs and returns it. */
    public JobBatch start(String id, JobBatch.Action action, String filterJson, int total, String creator, String createdBy) {
        return Jdbi3.call("job batches", () -> jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO job_bulk_actions (" + COLUMNS + ") VALUES (:id, :action, :filter, 'running', :total, 0, 0, 0,"
                            + " NULL, :creator, :createdBy, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, NULL)")
                    .bind("id", id).bind("action", action.wireName()).bind("filter", filterJson).bind("total", total)
                    .bind("creator", creator).bind("createdBy", createdBy).execute();
            return read(h.createQuery("SELECT " + COLUMNS + " FROM job_bulk_actions WHERE id = :id").bind("id", id)).one();
        }));
    }

    /** Records progress (and the instance's pulse); false when the batch no longer runs: stop. */
    public boolean progress(String id, int done, int skipped, int failed) {
        return Jdbi3.call("job batches", () -> jdbi.withHandle(h -> h.createUpdate("UPDATE job_bulk_actions SET done = :done,"
                        + " skipped = :skipped, failed = :failed, updated_at = CURRENT_TIMESTAMP WHERE id = :id AND status = 'running'")
                .bind("id", id).bind("done", done).bind("skipped", skipped).bind("failed", failed).execute() == 1));
    }

    /** Ends a running batch in {@code state} (succeeded or failed, with why); false when it had ended already. */
    public boolean finish(String id, JobBatch.State state, Optional<String> error) {
        return Jdbi3.call("job batches", () -> jdbi.withHandle(h -> h.createUpdate("UPDATE job_bulk_actions SET status = :state,"
                        + " error = :error, updated_at = CURRENT_TIMESTAMP, finished_at = CURRENT_TIMESTAMP"
                        + " WHERE id = :id AND status = 'running'")
                .bind("id", id).bind("state", state.wireName()).bind("error", error.orElse(null)).execute() == 1));
    }

    /** Cancels a running batch: its instance stops before its next chunk. False when it had ended. */
    public boolean cancel(String id) {
        return finish(id, JobBatch.State.CANCELLED, Optional.empty());
    }

    /**
     * Marks failed the running batches whose instance has written nothing for {@code leaseSeconds}
     * (it stopped): the jobs it did stay done. Returns how many.
     */
    public int expire(int leaseSeconds) {
        return Jdbi3.call("job batches", () -> jdbi.withHandle(h -> {
            Instant now = h.createQuery("SELECT CURRENT_TIMESTAMP").map((rs, ctx) -> instant(rs.getObject(1)).orElseThrow()).one();
            return h.createUpdate("UPDATE job_bulk_actions SET status = 'failed', error = :error, finished_at = CURRENT_TIMESTAMP"
                            + " WHERE status = 'running' AND updated_at < :before")
                    .bind("before", ts(now.minusSeconds(leaseSeconds)))
                    .bind("error", "the instance running this batch stopped (no progress for " + leaseSeconds + " s); the jobs"
                            + " it did stay done: start the action again to act on the rest")
                    .execute();
        }));
    }

    public Optional<JobBatch> find(String id) {
        return Jdbi3.call("job batches", () -> jdbi.withHandle(h -> read(h.createQuery("SELECT " + COLUMNS
                + " FROM job_bulk_actions WHERE id = :id").bind("id", id)).findOne()));
    }

    /** Why {@code key} is not a cursor of {@link #list}; empty when it is one. */
    public static Optional<String> problemWithCursor(List<String> key) {
        try {
            if (key.size() == 2 && key.get(1).startsWith(ID_PREFIX) && Instant.parse(key.get(0)) != null) {
                return Optional.empty();
            }
        } catch (java.time.format.DateTimeParseException e) {
            // answered below
        }
        return Optional.of("not a cursor of the batch listing; pass next_cursor back unchanged");
    }

    /** Batches newest first, of one creator (empty: of everyone). */
    public Page<JobBatch> list(Optional<String> creator, PageRequest page) {
        return Jdbi3.call("job batches", () -> jdbi.withHandle(h -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM job_bulk_actions WHERE 1 = 1");
            creator.ifPresent(c -> sql.append(" AND creator = :creator"));
            page.after().ifPresent(k -> sql.append(" AND (created_at, id) < (:afterCreated, :afterId)"));
            Query q = h.createQuery(sql + " ORDER BY created_at DESC, id DESC LIMIT :limit").bind("limit", page.limit() + 1);
            creator.ifPresent(c -> q.bind("creator", c));
            page.after().ifPresent(k -> q.bind("afterCreated", ts(Instant.parse(k.get(0)))).bind("afterId", k.get(1)));
            return Page.of(read(q).list(), page, b -> List.of(b.createdAt().toString(), b.id()));
        }));
    }

    private static org.jdbi.v3.core.result.ResultIterable<JobBatch> read(Query q) {
        return q.map((rs, ctx) -> map(rs));
    }

    private static JobBatch map(ResultSet rs) throws SQLException {
        return new JobBatch(rs.getString("id"), JobBatch.Action.fromWire(rs.getString("action")).orElseThrow(), rs.getString("filter"),
                JobBatch.State.fromWire(rs.getString("status")), rs.getInt("total"), rs.getInt("done"), rs.getInt("skipped"),
                rs.getInt("failed"), Optional.ofNullable(rs.getString("error")), rs.getString("creator"), rs.getString("created_by"),
                instant(rs.getObject("created_at")).orElseThrow(), instant(rs.getObject("updated_at")).orElseThrow(),
                instant(rs.getObject("finished_at")));
    }
}
