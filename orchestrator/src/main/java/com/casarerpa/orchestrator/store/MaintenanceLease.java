package com.casarerpa.orchestrator.store;

import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A lease on work that one instance at a time does, kept in a row of {@code maintenance_leases}
 * (V27) by the database clock: {@link #acquire} takes the row when it is free, expired or already
 * this holder's; {@link #renewWithin} extends it inside the transaction of each unit of work,
 * which both proves the lease is still held and locks the row until that transaction ends, so
 * units of work of two holders never overlap, even when one holder's lease ran out while it was
 * stalled. No session state (advisory locks, {@code LISTEN}): it works through pgbouncer in
 * transaction mode.
 */
public final class MaintenanceLease {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String name;
    private final String holder;
    private final Duration length;

    /**
     * @param name   the row: the kind of work ({@code retention})
     * @param holder who takes it (an instance id)
     * @param length how long a lease lasts without a renewal: longer than the longest unit of work
     */
    public MaintenanceLease(Jdbi jdbi, Dialect dialect, String name, String holder, Duration length) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.name = name;
        this.holder = holder;
        this.length = length;
    }

    /** Thrown by {@link #renewWithin} when another holder has the lease now: the unit of work must roll back. */
    public static final class LostException extends RuntimeException {
        LostException(String name, String holder) {
            super("the " + name + " lease is no longer held by " + holder);
        }
    }

    /** Takes the lease unless another holder has it unexpired; true when this holder has it now. */
    public boolean acquire() {
        return Jdbi3.call("maintenance lease", () -> jdbi.inTransaction(h -> h.createUpdate("UPDATE maintenance_leases"
                        + " SET holder = :holder, expires_at = " + until() + " WHERE name = :name"
                        + " AND (holder IS NULL OR holder = :holder OR expires_at < " + dialect.clockNow() + ")")
                .bind("holder", holder).bind("name", name).bind("seconds", seconds())
                .execute() == 1));
    }

    /**
     * Extends the lease inside {@code h}'s transaction and keeps its row locked until that
     * transaction ends. Call it first in each unit of work.
     *
     * @throws LostException when this holder no longer has the lease (it expired and another took it)
     */
    public void renewWithin(Handle h) {
        int renewed = h.createUpdate("UPDATE maintenance_leases SET expires_at = " + until()
                        + " WHERE name = :name AND holder = :holder AND expires_at >= " + dialect.clockNow())
                .bind("holder", holder).bind("name", name).bind("seconds", seconds())
                .execute();
        if (renewed != 1) {
            throw new LostException(name, holder);
        }
    }

    /** Gives the lease up (when this holder has it), so another instance may take it at once. */
    public void release() {
        Jdbi3.run("maintenance lease", () -> jdbi.useTransaction(h -> h.createUpdate("UPDATE maintenance_leases"
                        + " SET holder = NULL, expires_at = " + dialect.clockNow() + " WHERE name = :name AND holder = :holder")
                .bind("holder", holder).bind("name", name).execute()));
    }

    /** Who holds the lease now (unexpired), if anyone. */
    public java.util.Optional<String> holder() {
        return Jdbi3.call("maintenance lease", () -> jdbi.withHandle(h -> h.createQuery("SELECT holder FROM maintenance_leases"
                        + " WHERE name = :name AND holder IS NOT NULL AND expires_at >= " + dialect.clockNow())
                .bind("name", name).mapTo(String.class).findOne()));
    }

    private String until() {
        return dialect.plusSeconds(dialect.clockNow(), ":seconds");
    }

    private long seconds() {
        return Math.max(1, length.toSeconds());
    }
}
