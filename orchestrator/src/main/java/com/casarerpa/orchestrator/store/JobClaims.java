package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.Lease;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Moves pending jobs to a robot under a lease: highest priority first, then oldest; only jobs
 * whose requirements the robot meets and whose environment it serves; never more than asked.
 *
 * <p>On PostgreSQL one statement claims a batch ({@code UPDATE … WHERE id IN (SELECT … FOR
 * UPDATE SKIP LOCKED)}), so any number of claimers on any number of instances never take the
 * same job. H2 may lock every matching row for {@code LIMIT … FOR UPDATE}, and it serves one
 * process only, so there claims are serialised in-process instead (DESIGN.md §9).
 */
public final class JobClaims {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Object h2Claims = new Object();

    public JobClaims(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /**
     * What a robot offers: who it is, what it can do, where it runs, how many jobs it takes now.
     * {@code nodeTypes}: the workflow node types it can run; empty means any (robots that do not
     * say, as the existing REST agents).
     */
    public record Claimer(String robotId, Set<String> capabilities, Optional<String> environment, int limit,
            int leaseSeconds, Optional<Set<String>> nodeTypes, Optional<String> connectionId) {

        public Claimer(String robotId, Set<String> capabilities, Optional<String> environment, int limit, int leaseSeconds) {
            this(robotId, capabilities, environment, limit, leaseSeconds, Optional.empty());
        }

        public Claimer(String robotId, Set<String> capabilities, Optional<String> environment, int limit, int leaseSeconds,
                Optional<Set<String>> nodeTypes) {
            this(robotId, capabilities, environment, limit, leaseSeconds, nodeTypes, Optional.empty());
        }

        /** The same claimer, claiming only while {@code connectionId} is the robot's current WebSocket connection. */
        public Claimer onConnection(String connectionId) {
            return new Claimer(robotId, capabilities, environment, limit, leaseSeconds, nodeTypes, Optional.of(connectionId));
        }
    }

    /** A job now leased to the claimer. */
    public record Claim(Job job, Lease lease) {}

    /** Leases up to {@code claimer.limit()} jobs; empty when none is available. */
    public List<Claim> claim(Claimer claimer) {
        if (claimer.limit() <= 0) {
            return List.of();
        }
        return switch (dialect) {
            case POSTGRESQL -> Jdbi3.call("job claims", () -> jdbi.inTransaction(h -> postgres(h, claimer)));
            case H2 -> {
                synchronized (h2Claims) {
                    yield Jdbi3.call("job claims", () -> jdbi.inTransaction(h -> h2(h, claimer)));
                }
            }
        };
    }

    private String candidates(Claimer claimer) {
        String capabilities = claimer.capabilities().isEmpty()
                ? "NOT EXISTS (SELECT 1 FROM job_requirements r WHERE r.job_id = c.id)"
                : "NOT EXISTS (SELECT 1 FROM job_requirements r WHERE r.job_id = c.id AND r.capability NOT IN (<caps>))";
        String environment = claimer.environment().isPresent()
                ? "(c.environment IS NULL OR c.environment = :environment)"
                : "c.environment IS NULL";
        String nodes = claimer.nodeTypes().isEmpty() ? "" : " AND NOT EXISTS (SELECT 1 FROM workflow_node_types n"
                + " WHERE n.workflow_id = c.workflow_id AND n.version = c.workflow_version"
                + (claimer.nodeTypes().get().isEmpty() ? ")" : " AND n.node_type NOT IN (<nodes>))");
        return "SELECT c.id FROM jobs c WHERE c.state = 'pending' AND c.run_after <= CURRENT_TIMESTAMP AND "
                + environment + " AND " + capabilities + nodes + connectionGuard(claimer)
                + " ORDER BY c.priority DESC, c.created_at, c.id LIMIT :limit";
    }

    /**
     * A WebSocket claim holds only while its connection is the robot's current one. On
     * PostgreSQL the robot row is share-locked, so a register that replaces the connection
     * waits for this claim (and then ends its lease at resume) or makes it claim nothing.
     */
    private String connectionGuard(Claimer claimer) {
        return claimer.connectionId().isEmpty() ? "" : " AND EXISTS (SELECT 1 FROM robots g WHERE g.id = :guard_robot"
                + " AND g.connection_id = :guard_connection" + (dialect == Dialect.POSTGRESQL ? " FOR SHARE" : "") + ")";
    }

    private <Q extends org.jdbi.v3.core.statement.SqlStatement<Q>> Q bindCandidates(Q statement, Claimer claimer) {
        claimer.connectionId().ifPresent(c -> statement.bind("guard_robot", claimer.robotId()).bind("guard_connection", c));
        if (!claimer.capabilities().isEmpty()) {
            statement.bindList("caps", List.copyOf(claimer.capabilities()));
        }
        claimer.environment().ifPresent(e -> statement.bind("environment", e));
        claimer.nodeTypes().filter(t -> !t.isEmpty()).ifPresent(t -> statement.bindList("nodes", List.copyOf(t)));
        return statement.bind("limit", claimer.limit());
    }

    private List<Claim> postgres(Handle h, Claimer claimer) {
        List<Lease> leases = bindCandidates(h.createQuery("UPDATE jobs SET state = 'assigned', attempt = attempt + 1,"
                        + " robot_id = :robot, lease_token = CAST(gen_random_uuid() AS VARCHAR(64)),"
                        + " lease_expires_at = " + dialect.nowPlusSeconds("lease") + ", updated_at = CURRENT_TIMESTAMP,"
                        + " cancel_reason = NULL, stop_requested_at = NULL WHERE id IN (" + candidates(claimer) + " FOR UPDATE SKIP LOCKED)"
                        + " RETURNING id, attempt, lease_token, lease_expires_at"), claimer)
                .bind("robot", claimer.robotId())
                .bind("lease", claimer.leaseSeconds())
                .map((rs, ctx) -> new Lease(rs.getString("id"), rs.getInt("attempt"), rs.getString("lease_token"),
                        claimer.robotId(), instant(rs.getObject("lease_expires_at")).orElseThrow()))
                .list();
        return recordAttempts(h, leases);
    }

    private List<Claim> h2(Handle h, Claimer claimer) {
        Query select = bindCandidates(h.createQuery(candidates(claimer)), claimer);
        List<String> ids = select.mapTo(String.class).list();
        List<Lease> leases = new ArrayList<>();
        for (String id : ids) {
            String token = UUID.randomUUID().toString();
            int updated = h.createUpdate("UPDATE jobs SET state = 'assigned', attempt = attempt + 1, robot_id = :robot,"
                            + " lease_token = :token, lease_expires_at = " + dialect.nowPlusSeconds("lease")
                            + ", updated_at = CURRENT_TIMESTAMP, cancel_reason = NULL, stop_requested_at = NULL WHERE id = :id AND state = 'pending'")
                    .bind("robot", claimer.robotId())
                    .bind("token", token)
                    .bind("lease", claimer.leaseSeconds())
                    .bind("id", id)
                    .execute();
            if (updated == 1) {
                leases.add(h.createQuery("SELECT attempt, lease_expires_at FROM jobs WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> new Lease(id, rs.getInt("attempt"), token, claimer.robotId(),
                                instant(rs.getObject("lease_expires_at")).orElseThrow()))
                        .one());
            }
        }
        return recordAttempts(h, leases);
    }

    private static List<Claim> recordAttempts(Handle h, List<Lease> leases) {
        if (leases.isEmpty()) {
            return List.of();
        }
        var batch = h.prepareBatch("INSERT INTO job_attempts (job_id, attempt, robot_id, lease_token, assigned_at)"
                + " VALUES (:job, :attempt, :robot, :token, CURRENT_TIMESTAMP)");
        for (Lease l : leases) {
            batch.bind("job", l.jobId()).bind("attempt", l.attempt()).bind("robot", l.robotId()).bind("token", l.token()).add();
        }
        batch.execute();
        Map<String, Job> jobs = JobStore.read(h, leases.stream().map(Lease::jobId).toList()).stream()
                .collect(Collectors.toMap(Job::id, Function.identity()));
        return leases.stream()
                .map(l -> new Claim(jobs.get(l.jobId()), l))
                .sorted(Comparator.comparing((Claim c) -> -c.job().priority()).thenComparing(c -> c.job().createdAt())
                        .thenComparing(c -> c.job().id()))
                .toList();
    }
}
