package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The orchestrator instances that ran on this database ({@code orchestrator_instances}, V24): an
 * instance is recorded by its first pulse ({@link InstancePulses}), and marked gone when it stops
 * or when the others delete its pulse as dead, in the transaction that deletes that pulse. So an
 * instance is alive exactly while its pulse row exists. Rows of instances gone for a day are pruned.
 */
public final class OrchestratorInstances {
    private final Jdbi jdbi;

    public OrchestratorInstances(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What an instance says of itself when it first pulses. */
    public record Identity(Optional<String> host, Optional<Long> pid, Optional<String> version) {
        public static final Identity UNKNOWN = new Identity(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * An instance as listed: {@code lastPulseAt} is its latest pulse (empty before the first),
     * {@code goneAt} and {@code goneReason} ({@code stopped}, {@code silent}) are set once it went.
     */
    public record Instance(String id, Optional<String> host, Optional<Long> pid, Optional<String> version, Instant startedAt,
            Optional<Instant> lastPulseAt, Optional<Instant> goneAt, Optional<String> goneReason) {
        public boolean alive() {
            return goneAt.isEmpty();
        }
    }

    /**
     * Records {@code id} as pulsing from now (in the caller's transaction): a new row, or, for an
     * instance the others had given up for dead and that pulses again, the row alive again.
     */
    static void started(Handle h, String id, Identity identity) {
        if (h.createUpdate("UPDATE orchestrator_instances SET gone_at = NULL, gone_reason = NULL, last_pulse_at = NULL"
                + " WHERE instance_id = :id").bind("id", id).execute() == 0) {
            h.createUpdate("INSERT INTO orchestrator_instances (instance_id, host, pid, version, started_at)"
                            + " VALUES (:id, :host, :pid, :version, CURRENT_TIMESTAMP)")
                    .bind("id", id).bind("host", identity.host().orElse(null)).bind("pid", identity.pid().orElse(null))
                    .bind("version", identity.version().orElse(null)).execute();
        }
    }

    /** Marks these instances gone now, keeping their last pulse, before their pulse rows are deleted. */
    static void gone(Handle h, List<String> ids, String reason) {
        if (ids.isEmpty()) {
            return;
        }
        h.createUpdate("UPDATE orchestrator_instances SET gone_at = CURRENT_TIMESTAMP, gone_reason = :reason,"
                        + " last_pulse_at = (SELECT p.pulse_at FROM instance_pulses p WHERE p.instance_id = orchestrator_instances.instance_id)"
                        + " WHERE instance_id IN (<ids>) AND gone_at IS NULL")
                .bind("reason", reason).bindList("ids", ids).execute();
    }

    /** The instances alive, and those gone since {@code goneSince}, oldest start first. */
    public List<Instance> list(Instant goneSince) {
        return Jdbi3.call("instances", () -> jdbi.withHandle(h -> h.createQuery("SELECT i.instance_id, i.host, i.pid, i.version,"
                        + " i.started_at, COALESCE(p.pulse_at, i.last_pulse_at), i.gone_at, i.gone_reason"
                        + " FROM orchestrator_instances i LEFT JOIN instance_pulses p ON p.instance_id = i.instance_id"
                        + " WHERE i.gone_at IS NULL OR i.gone_at >= :since ORDER BY i.started_at, i.instance_id")
                .bind("since", ts(goneSince))
                .map((rs, ctx) -> new Instance(rs.getString(1), Optional.ofNullable(rs.getString(2)),
                        Optional.ofNullable((Number) rs.getObject(3)).map(Number::longValue), Optional.ofNullable(rs.getString(4)),
                        instant(rs.getObject(5)).orElseThrow(), instant(rs.getObject(6)), instant(rs.getObject(7)),
                        Optional.ofNullable(rs.getString(8))))
                .list()));
    }

    /** Deletes the rows of instances gone before {@code before}; how many. */
    public int deleteGoneBefore(Instant before) {
        return Jdbi3.call("instances", () -> jdbi.withHandle(h -> h.createUpdate(
                "DELETE FROM orchestrator_instances WHERE gone_at < :before").bind("before", ts(before)).execute()));
    }
}
