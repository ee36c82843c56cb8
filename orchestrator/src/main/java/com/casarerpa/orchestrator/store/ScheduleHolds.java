package com.casarerpa.orchestrator.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The bound on schedule-started jobs, {@code scheduler.max_concurrent_schedules}, across every
 * instance. A fire over it (policy {@code queue}) inserts its job like any other and marks it
 * {@code held_by = 'max_concurrent_schedules'}: it is pending, but no claim takes it
 * ({@link JobTransitions#claimable}). {@link #release} lets held jobs go, in queue order
 * (priority, then age, then id), while fewer than the bound are active; every fire and every
 * scheduler pass calls it, so a held job goes within a poll of a slot freeing.
 *
 * <p>Whoever counts or changes the slots first locks the one row of {@code scheduler_slots}
 * (until its commit), so two instances never both see the same free slot. A job counts as
 * active while it is pending (and not held), assigned or running; a held job that is cancelled
 * simply leaves the queue.
 */
public final class ScheduleHolds {
    /** The {@code held_by} of a job waiting for the bound. */
    static final String HELD_BY = "max_concurrent_schedules";
    /** Schedule-started jobs not finished yet: the rows of PostgreSQL's {@code jobs_schedule_live} index (V33). */
    private static final String LIVE = "source = 'schedule' AND state IN ('pending', 'assigned', 'running')";
    private static final String QUEUE_ORDER = " ORDER BY priority DESC, created_at, id";

    private final Jdbi jdbi;
    private final int bound;

    public ScheduleHolds(Jdbi jdbi, int bound) {
        this.jdbi = jdbi;
        this.bound = bound;
    }

    public int bound() {
        return bound;
    }

    /** The slots as one transaction sees them under the lock: jobs active, and whether any job is held. */
    static final class Slots {
        int active;
        boolean anyHeld;

        /** True when a new fire may start its job now: a free slot, and no held job ahead of it. */
        boolean free(int bound) {
            return active < bound && !anyHeld;
        }
    }

    /** Locks the slots row (held until the caller's commit) and counts. */
    static Slots lock(Handle h) {
        h.createQuery("SELECT id FROM scheduler_slots WHERE id = 1 FOR UPDATE").mapTo(Integer.class).one();
        Slots s = new Slots();
        s.active = h.createQuery("SELECT COUNT(*) FROM jobs WHERE " + LIVE + " AND held_by IS NULL").mapTo(Integer.class).one();
        s.anyHeld = anyHeld(h);
        return s;
    }

    private static boolean anyHeld(Handle h) {
        return h.createQuery("SELECT id FROM jobs WHERE " + LIVE + " AND held_by = :by LIMIT 1")
                .bind("by", HELD_BY).mapTo(String.class).findOne().isPresent();
    }

    /** Marks the just-inserted jobs held (the caller's transaction, under the lock). */
    static void hold(Handle h, List<String> jobIds) {
        if (!jobIds.isEmpty()) {
            h.createUpdate("UPDATE jobs SET held_by = :by WHERE id IN (<ids>)").bind("by", HELD_BY).bindList("ids", jobIds).execute();
        }
    }

    /**
     * Releases held jobs, in queue order, into the free slots (the caller holds the lock);
     * their {@code run_after} becomes now, the moment they became dispatchable.
     *
     * @return the jobs released
     */
    static List<String> release(Handle h, Slots slots, int bound) {
        if (!slots.anyHeld || slots.active >= bound) {
            return List.of();
        }
        int free = bound - slots.active;
        List<String> ids = h.createQuery("SELECT id FROM jobs WHERE " + LIVE + " AND held_by = :by" + QUEUE_ORDER + " LIMIT :n")
                .bind("by", HELD_BY)
                .bind("n", free)
                .mapTo(String.class)
                .list();
        if (!ids.isEmpty()) {
            h.createUpdate("UPDATE jobs SET held_by = NULL, run_after = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP"
                    + " WHERE id IN (<ids>) AND state = 'pending'").bindList("ids", ids).execute();
        }
        slots.active += ids.size();
        slots.anyHeld = ids.size() == free && anyHeld(h);
        return ids;
    }

    /**
     * Releases what the bound allows now, in its own transaction; reads one index entry and
     * takes no lock when nothing is held (every scheduler pass of every instance calls it).
     *
     * @return the jobs released
     */
    public List<String> release() {
        return Jdbi3.call("schedule holds", () -> jdbi.inTransaction(h -> {
            if (!anyHeld(h)) {
                return List.<String>of();
            }
            return release(h, lock(h), bound);
        }));
    }

    /**
     * Why a job is held, in words for its {@code waiting_reason}; empty when it is not held (a
     * job of the API, or one released already).
     */
    public Optional<String> why(String jobId) {
        return Jdbi3.call("schedule holds", () -> jdbi.withHandle(h -> {
            boolean held = h.createQuery("SELECT id FROM jobs WHERE id = :id AND held_by IS NOT NULL AND state = 'pending'")
                    .bind("id", jobId).mapTo(String.class).findOne().isPresent();
            if (!held) {
                return Optional.<String>empty();
            }
            int active = h.createQuery("SELECT COUNT(*) FROM jobs WHERE " + LIVE + " AND held_by IS NULL").mapTo(Integer.class).one();
            int ahead = h.createQuery("SELECT COUNT(*) FROM jobs j WHERE " + LIVE + " AND held_by = :by"
                            + " AND EXISTS (SELECT 1 FROM jobs m WHERE m.id = :id AND (j.priority > m.priority"
                            + " OR (j.priority = m.priority AND (j.created_at < m.created_at"
                            + " OR (j.created_at = m.created_at AND j.id < m.id)))))")
                    .bind("id", jobId).bind("by", HELD_BY).mapTo(Integer.class).one();
            return Optional.of(reason(active, bound) + "; it starts when one of them ends"
                    + (ahead == 0 ? ", first in line" : ", after " + ahead + " held job(s) ahead of it"));
        }));
    }

    /** The words a fire over the bound records, and its job's waiting reason begins with. */
    static String reason(int active, int bound) {
        return HELD_BY + ": " + active + " schedule-started jobs are active (limit " + bound + ")";
    }
}
