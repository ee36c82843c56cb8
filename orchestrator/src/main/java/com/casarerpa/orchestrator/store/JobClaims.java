package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.FleetClaim;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobAssignment;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.domain.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Moves pending jobs to a robot under a lease: highest priority first, then oldest; only jobs
 * whose requirements the robot meets, whose environment it serves and whose folder it serves
 * (one it is assigned to or below; a robot assigned to none serves every folder, and its claim
 * has no folder condition); never more than asked.
 *
 * <p>On PostgreSQL one statement claims a batch ({@code UPDATE … WHERE id IN (SELECT … FOR
 * UPDATE SKIP LOCKED)}), so any number of claimers on any number of instances never take the
 * same job. H2 may lock every matching row for {@code LIMIT … FOR UPDATE}, and it serves one
 * process only, so there claims are serialised in-process instead (DESIGN.md §9), by a
 * {@link ReentrantLock}: a virtual thread waiting for a JDBC call under {@code synchronized}
 * would pin its carrier thread.
 */
public final class JobClaims {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ChangeEvents events;
    private final ReentrantLock h2Claims = new ReentrantLock();

    /** Claims that publish no change events (commands, tests). */
    public JobClaims(Jdbi jdbi, Dialect dialect) {
        this(jdbi, dialect, ChangeEvents.none());
    }

    public JobClaims(Jdbi jdbi, Dialect dialect, ChangeEvents events) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.events = events;
    }

    /**
     * What a robot offers: who it is, what it can do, where it runs, how many jobs it takes now.
     * {@code nodeTypes}: the workflow node types it can run; empty means any (robots that do not
     * say, as the existing REST agents). {@code folders}: the folders it is assigned to; empty: the
     * root, every folder.
     */
    public record Claimer(String robotId, Set<String> capabilities, Optional<String> environment, int limit,
            int leaseSeconds, Optional<Set<String>> nodeTypes, Optional<String> connectionId, Set<String> folders) {

        public Claimer {
            folders = Set.copyOf(folders);
        }

        public Claimer(String robotId, Set<String> capabilities, Optional<String> environment, int limit, int leaseSeconds,
                Optional<Set<String>> nodeTypes, Optional<String> connectionId) {
            this(robotId, capabilities, environment, limit, leaseSeconds, nodeTypes, connectionId, Set.of());
        }

        public Claimer(String robotId, Set<String> capabilities, Optional<String> environment, int limit, int leaseSeconds) {
            this(robotId, capabilities, environment, limit, leaseSeconds, Optional.empty());
        }

        public Claimer(String robotId, Set<String> capabilities, Optional<String> environment, int limit, int leaseSeconds,
                Optional<Set<String>> nodeTypes) {
            this(robotId, capabilities, environment, limit, leaseSeconds, nodeTypes, Optional.empty());
        }

        /** The same claimer, claiming only while {@code connectionId} is the robot's current WebSocket connection. */
        public Claimer onConnection(String connectionId) {
            return new Claimer(robotId, capabilities, environment, limit, leaseSeconds, nodeTypes, Optional.of(connectionId), folders);
        }

        /** The same claimer, for a robot assigned to {@code assigned} (empty: the root). */
        public Claimer inFolders(Set<String> assigned) {
            return new Claimer(robotId, capabilities, environment, limit, leaseSeconds, nodeTypes, connectionId, assigned);
        }
    }

    /** A job now leased to the claimer. */
    public record Claim(Job job, Lease lease) {}

    /**
     * Leases up to one job per listed slot, in claim order, with the payloads. On PostgreSQL one
     * statement claims, records the attempts and returns the payloads; on H2 a few, serialised
     * in-process like {@link #claim}.
     */
    public List<JobAssignment> claimForFleet(FleetClaim fleet) {
        if (fleet.slots().isEmpty()) {
            return List.of();
        }
        Claimer claimer = new Claimer("", fleet.capabilities(), fleet.environment(), fleet.slots().size(), fleet.leaseSeconds(),
                fleet.nodeTypes()).inFolders(fleet.folders());
        return switch (dialect) {
            case POSTGRESQL -> Jdbi3.call("job claims", () -> jdbi.withHandle(h -> {
                Optional<Set<String>> served = ServedFolders.of(h, claimer.folders());
                return ServedFolders.none(served) ? List.<JobAssignment>of() : postgresFleet(h, fleet, claimer, served);
            }));
            case H2 -> h2Serialised(h -> claimed(h, h2Fleet(h, fleet, claimer)));
        };
    }

    private List<JobAssignment> postgresFleet(Handle h, FleetClaim fleet, Claimer claimer, Optional<Set<String>> served) {
        String picked = candidates(claimer, "c.id, c.priority, c.created_at", served);
        return claimed(h, bindCandidates(h.createQuery(
                    "WITH picked AS (" + picked + " FOR UPDATE SKIP LOCKED),"
                    + " numbered AS (SELECT id, row_number() OVER (ORDER BY priority DESC, created_at, id) AS n FROM picked),"
                    + " slots AS (SELECT s.robot, s.token, row_number() OVER (ORDER BY s.n) AS n"
                    + " FROM unnest(:robots, :connections, :tokens) WITH ORDINALITY AS s(robot, conn, token, n)"
                    // As connectionGuard: the robot row key-share-locked, which heartbeats do not wait for.
                    + " WHERE s.conn IS NULL OR EXISTS (SELECT 1 FROM robots g WHERE g.id = s.robot"
                    + " AND g.connection_id = s.conn FOR KEY SHARE)),"
                    + " claimed AS (" + JobTransitions.claimPicked(dialect, "jobs j", "s.robot", "s.token", picked,
                            " FROM numbered x JOIN slots s ON s.n = x.n WHERE j.id = x.id") + " RETURNING " + ASSIGNED + "),"
                    + " attempts AS (INSERT INTO job_attempts (job_id, attempt, robot_id, lease_token, assigned_at)"
                    + " SELECT id, attempt, robot_id, lease_token, CURRENT_TIMESTAMP FROM claimed)"
                    + " SELECT k.*, w.name AS workflow_name, v.definition, " + CLAIMED_AT + " FROM claimed k"
                    + " JOIN workflows w ON w.id = k.workflow_id"
                    + " JOIN workflow_versions v ON v.workflow_id = k.workflow_id AND v.version = k.workflow_version"
                    + " ORDER BY k.priority DESC, k.created_at, k.id"), claimer, served)
                    .bindArray("robots", String.class, fleet.slots())
                    .bindArray("connections", String.class, fleet.slots().stream().map(r -> fleet.connections().get(r)).toList())
                    .bindArray("tokens", String.class, fleet.tokens())
                    .bind("lease", fleet.leaseSeconds())
                    .map((rs, ctx) -> assignment(rs))
                    .list());
    }

    /** A new lease token, made by PostgreSQL. */
    private static final String NEW_TOKEN = "CAST(gen_random_uuid() AS VARCHAR(64))";

    private static final String ASSIGNED = "j.id, j.attempt, j.robot_id, j.lease_token, j.lease_expires_at, j.workflow_id,"
            + " j.workflow_version, j.variables, j.timeout_seconds, j.priority, j.max_retries, j.created_at, j.run_after";
    /**
     * The database's time as an assignment is read: the claim transaction's {@code CURRENT_TIMESTAMP}
     * (the {@code updated_at} the claim wrote), or, for a claim whose answer was lost, that of the
     * transaction that reads its jobs again ({@link #deliverable}).
     */
    private static final String CLAIMED_AT = "CURRENT_TIMESTAMP AS claimed_at";

    private List<JobAssignment> h2Fleet(Handle h, FleetClaim fleet, Claimer claimer) {
        List<Integer> slots = liveSlots(h, fleet);
        if (slots.isEmpty()) {
            return List.of();
        }
        Optional<Set<String>> served = ServedFolders.of(h, claimer.folders());
        if (ServedFolders.none(served)) {
            return List.of();
        }
        Claimer live = new Claimer("", claimer.capabilities(), claimer.environment(), slots.size(), claimer.leaseSeconds(),
                claimer.nodeTypes());
        List<String> ids = bindCandidates(h.createQuery(candidates(live, "c.id", served)), live, served).mapTo(String.class).list();
        if (ids.isEmpty()) {
            return List.of();
        }
        var update = h.prepareBatch(JobTransitions.claim(dialect, "jobs", ":robot", ":token", "", "id = :id"));
        for (int i = 0; i < ids.size(); i++) {
            update.bind("robot", fleet.slots().get(slots.get(i))).bind("token", fleet.tokens().get(slots.get(i)))
                    .bind("lease", fleet.leaseSeconds()).bind("id", ids.get(i)).add();
        }
        int[] counts = update.execute();
        List<String> leased = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (counts[i] == 1) {
                leased.add(ids.get(i));
            }
        }
        if (leased.isEmpty()) {
            return List.of();
        }
        List<JobAssignment> out = assignments(h, leased);
        insertAttempts(h, out.stream().map(JobAssignment::lease).toList());
        return out;
    }

    private List<JobAssignment> claimed(Handle h, List<JobAssignment> out) {
        JobTransitions.moved(h, events, JobTransitions.CLAIM, JobState.PENDING, out.stream().map(a -> a.lease().jobId()).toList());
        return out;
    }

    /** The positions of the fleet's slots whose robot still has the connection the claim is made through (H2). */
    private static List<Integer> liveSlots(Handle h, FleetClaim fleet) {
        Map<String, String> current = new java.util.HashMap<>();
        if (!fleet.connections().isEmpty()) {
            h.createQuery("SELECT id, connection_id FROM robots WHERE id IN (<ids>)")
                    .bindList("ids", List.copyOf(fleet.connections().keySet()))
                    .map((rs, ctx) -> Map.entry(rs.getString("id"), Optional.ofNullable(rs.getString("connection_id")).orElse("")))
                    .forEach(e -> current.put(e.getKey(), e.getValue()));
        }
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < fleet.slots().size(); i++) {
            String r = fleet.slots().get(i);
            if (!fleet.connections().containsKey(r) || fleet.connections().get(r).equals(current.get(r))) {
                live.add(i);
            }
        }
        return live;
    }

    /**
     * The jobs a fleet claim leased under these tokens and that no robot has started yet, with
     * their leases renewed for {@code leaseSeconds}: what to send when the claim's answer was lost
     * (the connection broke while the statement committed). Jobs whose lease ended since, or
     * that started, are not returned.
     */
    public List<JobAssignment> deliverable(Collection<String> tokens, int leaseSeconds) {
        if (tokens.isEmpty()) {
            return List.of();
        }
        return Jdbi3.call("job claims", () -> jdbi.inTransaction(h -> {
            List<String> ids = h.createQuery("SELECT id FROM jobs WHERE lease_token IN (<tokens>) AND "
                            + JobTransitions.stateIn("", JobTransitions.START.from()) + " AND started_at IS NULL FOR UPDATE")
                    .bindList("tokens", List.copyOf(tokens)).mapTo(String.class).list();
            if (ids.isEmpty()) {
                return List.<JobAssignment>of();
            }
            h.createUpdate("UPDATE jobs SET lease_expires_at = " + dialect.nowPlusSeconds("lease") + " WHERE id IN (<ids>)"
                            + " AND lease_expires_at < " + dialect.nowPlusSeconds("lease"))
                    .bindList("ids", ids).bind("lease", leaseSeconds).execute();
            return assignments(h, ids);
        }));
    }

    /** The assignments (lease and payload) of these jobs, in claim order. */
    private static List<JobAssignment> assignments(Handle h, List<String> ids) {
        return h.createQuery("SELECT " + ASSIGNED + ", w.name AS workflow_name, v.definition, " + CLAIMED_AT + " FROM jobs j"
                        + " JOIN workflows w ON w.id = j.workflow_id"
                        + " JOIN workflow_versions v ON v.workflow_id = j.workflow_id AND v.version = j.workflow_version"
                        + " WHERE j.id IN (<ids>) ORDER BY j.priority DESC, j.created_at, j.id")
                .bindList("ids", ids)
                .map((rs, ctx) -> assignment(rs))
                .list();
    }

    private static JobAssignment assignment(java.sql.ResultSet rs) throws java.sql.SQLException {
        Lease lease = new Lease(rs.getString("id"), rs.getInt("attempt"), rs.getString("lease_token"), rs.getString("robot_id"),
                instant(rs.getObject("lease_expires_at")).orElseThrow());
        Object timeout = rs.getObject("timeout_seconds");
        return new JobAssignment(lease, rs.getString("workflow_id"), rs.getString("workflow_name"), rs.getInt("workflow_version"),
                rs.getString("definition"), rs.getString("variables"),
                timeout == null ? Optional.empty() : Optional.of(((Number) timeout).intValue()), rs.getInt("priority"),
                rs.getInt("max_retries"), instant(rs.getObject("created_at")).orElseThrow(),
                Duration.between(instant(rs.getObject("run_after")).orElseThrow(), instant(rs.getObject("claimed_at")).orElseThrow()));
    }

    /** Leases up to {@code claimer.limit()} jobs; empty when none is available. */
    public List<Claim> claim(Claimer claimer) {
        if (claimer.limit() <= 0) {
            return List.of();
        }
        return switch (dialect) {
            case POSTGRESQL -> Jdbi3.call("job claims", () -> jdbi.inTransaction(h -> postgres(h, claimer)));
            case H2 -> h2Serialised(h -> h2(h, claimer));
        };
    }

    /** A claim on H2, one at a time in this process, in a transaction. */
    private <T> T h2Serialised(org.jdbi.v3.core.HandleCallback<T, RuntimeException> claim) {
        h2Claims.lock();
        try {
            return Jdbi3.call("job claims", () -> jdbi.inTransaction(claim));
        } finally {
            h2Claims.unlock();
        }
    }

    private String candidates(Claimer claimer, Optional<Set<String>> served) {
        return candidates(claimer, "c.id", served);
    }

    /** @param served the folders whose jobs it may take ({@link ServedFolders}); empty: every folder, no condition */
    private String candidates(Claimer claimer, String columns, Optional<Set<String>> served) {
        String capabilities = claimer.capabilities().isEmpty()
                ? "NOT EXISTS (SELECT 1 FROM job_requirements r WHERE r.job_id = c.id)"
                : "NOT EXISTS (SELECT 1 FROM job_requirements r WHERE r.job_id = c.id AND r.capability NOT IN (<caps>))";
        String environment = claimer.environment().isPresent()
                ? "(c.environment IS NULL OR c.environment = :environment)"
                : "c.environment IS NULL";
        String nodes = claimer.nodeTypes().isEmpty() ? "" : " AND NOT EXISTS (SELECT 1 FROM workflow_node_types n"
                + " WHERE n.workflow_id = c.workflow_id AND n.version = c.workflow_version"
                + (claimer.nodeTypes().get().isEmpty() ? ")" : " AND n.node_type NOT IN (<nodes>))");
        return "SELECT " + columns + " FROM jobs c WHERE " + JobTransitions.claimable("c") + " AND c.run_after <= CURRENT_TIMESTAMP AND "
                + environment + " AND " + capabilities + nodes + ServedFolders.condition("c", served) + connectionGuard(claimer)
                // "c.state" changes no order (it is fixed) but lets H2 read its claim index in order and
                // stop after :limit rows instead of sorting every pending job (V11; PostgreSQL drops the key).
                + " ORDER BY c.state, c.priority DESC, c.created_at, c.id LIMIT :limit";
    }

    /**
     * A WebSocket claim holds only while its connection is the robot's current one. On
     * PostgreSQL the robot row is key-share-locked, so a register that replaces the connection
     * ({@code SELECT … FOR UPDATE}, which conflicts with every row lock) waits for this claim (and
     * then ends its lease at resume) or makes it claim nothing; heartbeats, which update no key
     * column ({@code FOR NO KEY UPDATE}), neither wait for the claim nor make it wait.
     */
    private String connectionGuard(Claimer claimer) {
        return claimer.connectionId().isEmpty() ? "" : " AND EXISTS (SELECT 1 FROM robots g WHERE g.id = :guard_robot"
                + " AND g.connection_id = :guard_connection" + (dialect == Dialect.POSTGRESQL ? " FOR KEY SHARE" : "") + ")";
    }

    private <Q extends org.jdbi.v3.core.statement.SqlStatement<Q>> Q bindCandidates(Q statement, Claimer claimer,
            Optional<Set<String>> served) {
        served.ifPresent(f -> statement.bindList("folders", List.copyOf(f)));
        claimer.connectionId().ifPresent(c -> statement.bind("guard_robot", claimer.robotId()).bind("guard_connection", c));
        if (!claimer.capabilities().isEmpty()) {
            statement.bindList("caps", List.copyOf(claimer.capabilities()));
        }
        claimer.environment().ifPresent(e -> statement.bind("environment", e));
        claimer.nodeTypes().filter(t -> !t.isEmpty()).ifPresent(t -> statement.bindList("nodes", List.copyOf(t)));
        return statement.bind("limit", claimer.limit());
    }

    private List<Claim> postgres(Handle h, Claimer claimer) {
        Optional<Set<String>> served = ServedFolders.of(h, claimer.folders());
        if (ServedFolders.none(served)) {
            return List.of();
        }
        List<Lease> leases = bindCandidates(h.createQuery(JobTransitions.claimPicked(dialect, "jobs", ":robot", NEW_TOKEN,
                        candidates(claimer, served), " WHERE id IN (" + candidates(claimer, served) + " FOR UPDATE SKIP LOCKED)")
                        + " RETURNING id, attempt, lease_token, lease_expires_at"), claimer, served)
                .bind("robot", claimer.robotId())
                .bind("lease", claimer.leaseSeconds())
                .map((rs, ctx) -> new Lease(rs.getString("id"), rs.getInt("attempt"), rs.getString("lease_token"),
                        claimer.robotId(), instant(rs.getObject("lease_expires_at")).orElseThrow()))
                .list();
        return recordAttempts(h, leases);
    }

    private List<Claim> h2(Handle h, Claimer claimer) {
        Optional<Set<String>> served = ServedFolders.of(h, claimer.folders());
        if (ServedFolders.none(served)) {
            return List.of();
        }
        Query select = bindCandidates(h.createQuery(candidates(claimer, served)), claimer, served);
        List<String> ids = select.mapTo(String.class).list();
        List<Lease> leases = new ArrayList<>();
        for (String id : ids) {
            String token = UUID.randomUUID().toString();
            int updated = h.createUpdate(JobTransitions.claim(dialect, "jobs", ":robot", ":token", "", "id = :id"))
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

    private List<Claim> recordAttempts(Handle h, List<Lease> leases) {
        if (leases.isEmpty()) {
            return List.of();
        }
        insertAttempts(h, leases);
        Map<String, Job> jobs = JobStore.read(h, leases.stream().map(Lease::jobId).toList()).stream()
                .collect(Collectors.toMap(Job::id, Function.identity()));
        JobTransitions.moved(h, events, JobTransitions.CLAIM, JobState.PENDING, leases.stream().map(Lease::jobId).toList(),
                jobs.values().stream().collect(Collectors.toMap(Job::id, Job::folderId)));
        return leases.stream()
                .map(l -> new Claim(jobs.get(l.jobId()), l))
                .sorted(Comparator.comparing((Claim c) -> -c.job().priority()).thenComparing(c -> c.job().createdAt())
                        .thenComparing(c -> c.job().id()))
                .toList();
    }

    private static void insertAttempts(Handle h, List<Lease> leases) {
        var batch = h.prepareBatch("INSERT INTO job_attempts (job_id, attempt, robot_id, lease_token, assigned_at)"
                + " VALUES (:job, :attempt, :robot, :token, CURRENT_TIMESTAMP)");
        for (Lease l : leases) {
            batch.bind("job", l.jobId()).bind("attempt", l.attempt()).bind("robot", l.robotId()).bind("token", l.token()).add();
        }
        batch.execute();
    }
}
