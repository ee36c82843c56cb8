package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Robots in the {@code robots} table. Heartbeat times come from the database clock, so the
 * offline sweep of any instance judges every robot by the same clock. Each change of a robot's
 * status, and each connection that opens or closes, is published on the {@link ChangeEvents} bus
 * once it commits.
 */
public final class RobotStore {
    private static final String COLUMNS = "id, name, hostname, capabilities, tags, environment, max_concurrent_jobs, status,"
            + " maintenance, agent_version, protocol, registered_by, registered_at, last_heartbeat, cpu_percent,"
            + " memory_percent, memory_mb, current_job_count, node_types, connection_instance";

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ChangeEvents events;

    /** A store that publishes no status changes (commands run outside the server, tests). */
    public RobotStore(Jdbi jdbi, Dialect dialect) {
        this(jdbi, dialect, ChangeEvents.none());
    }

    public RobotStore(Jdbi jdbi, Dialect dialect, ChangeEvents events) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.events = events;
    }

    /**
     * Creates the robot or updates what it says about itself (a re-registration keeps its id,
     * maintenance flag and who registered it: ownership never moves by registering). It is
     * online from now.
     */
    public Robot register(Robot.Registration r, Optional<String> registeredBy) {
        return Jdbi3.call("robots", () -> jdbi.inTransaction(h -> {
            Optional<String> before = lockStatus(h, r.id());
            int updated = h.createUpdate("UPDATE robots SET name = :name, hostname = :hostname, capabilities = :caps,"
                            + " tags = :tags, environment = :env, max_concurrent_jobs = :slots, agent_version = :agent,"
                            + " protocol = :protocol, node_types = :nodes, status = 'online', last_heartbeat = CURRENT_TIMESTAMP"
                            + " WHERE id = :id")
                    .bindMap(binds(r)).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO robots (id, name, hostname, capabilities, tags, environment, max_concurrent_jobs,"
                                + " status, agent_version, protocol, node_types, registered_by, registered_at, last_heartbeat)"
                                + " VALUES (:id, :name, :hostname, :caps, :tags, :env, :slots, 'online', :agent, :protocol,"
                                + " :nodes, :by, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
                        .bindMap(binds(r)).bind("by", registeredBy.orElse(null)).execute();
            }
            statusChanged(h, r.id(), before, Robot.Status.ONLINE);
            return read(h, r.id()).orElseThrow();
        }));
    }

    private static java.util.Map<String, Object> binds(Robot.Registration r) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("id", r.id());
        m.put("name", r.name());
        m.put("hostname", r.hostname().orElse(null));
        m.put("caps", JobRows.json(r.capabilities()));
        m.put("tags", JobRows.json(r.tags()));
        m.put("env", r.environment().orElse(null));
        m.put("slots", r.maxConcurrentJobs());
        m.put("agent", r.agentVersion().orElse(null));
        m.put("protocol", r.protocol());
        m.put("nodes", r.nodeTypes().map(JobRows::json).orElse(null));
        return m;
    }

    public Optional<Robot> find(String id) {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> read(h, id)));
    }

    /** A page of the robots {@code filter} matches, by id ({@link RobotListing}). */
    public com.casarerpa.orchestrator.paging.Page<Robot> list(com.casarerpa.orchestrator.domain.RobotFilter filter,
            com.casarerpa.orchestrator.paging.PageRequest page) {
        return new RobotListing(jdbi).list(filter, page);
    }

    public List<Robot> list() {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> robots(h.createQuery(WITH_FOLDERS + " ORDER BY id, f.folder_id"))));
    }

    /**
     * The folders it is assigned to now replace what it had (none: it serves the root), in the
     * caller's transaction if one is under way. False when the robot does not exist.
     */
    public boolean assignFolders(String robotId, java.util.Collection<String> folderIds) {
        return Jdbi3.call("robots", () -> jdbi.inTransaction(h -> {
            if (lockStatus(h, robotId).isEmpty()) {
                return false;
            }
            h.createUpdate("DELETE FROM robot_folders WHERE robot_id = :id").bind("id", robotId).execute();
            var insert = h.prepareBatch("INSERT INTO robot_folders (robot_id, folder_id) VALUES (:robot, :folder)");
            folderIds.stream().distinct().forEach(f -> insert.bind("robot", robotId).bind("folder", f).add());
            if (!folderIds.isEmpty()) {
                insert.execute();
            }
            return true;
        }));
    }

    /** The folders an API key names for the robots that register with it (empty: it names none). */
    public List<String> foldersOfKey(String keyId) {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT folder_id FROM api_key_folders WHERE key_id = :key ORDER BY folder_id")
                .bind("key", keyId).mapTo(String.class).list()));
    }

    /**
     * A heartbeat: alive now, with its measurements; an offline robot is online again. False when
     * the robot does not exist. One statement when the robot was not offline (the usual case).
     */
    public boolean heartbeat(String id, Robot.Metrics m) {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> {
            if (bindHeartbeat(h.createUpdate(heartbeatUpdate(false)), id, m).execute() == 1) {
                return true;
            }
            if (bindHeartbeat(h.createUpdate(heartbeatUpdate(true)), id, m).execute() == 1) {
                statusChanged(h, id, Optional.of(Robot.Status.OFFLINE.wireName()), Robot.Status.ONLINE);
                return true;
            }
            return false;
        }));
    }

    /** A heartbeat's update of its robot's row: of a robot not offline, or of an offline one, which is online again. */
    static String heartbeatUpdate(boolean wasOffline) {
        return "UPDATE robots SET last_heartbeat = CURRENT_TIMESTAMP," + (wasOffline ? " status = 'online'," : "")
                + " cpu_percent = COALESCE(:cpu, cpu_percent), memory_percent = COALESCE(:mem, memory_percent),"
                + " memory_mb = COALESCE(:mb, memory_mb), current_job_count = COALESCE(:jobs, current_job_count)"
                + " WHERE id = :id AND " + (wasOffline ? "status = 'offline'" : "status <> 'offline'");
    }

    static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindHeartbeat(T statement, String id, Robot.Metrics m) {
        return statement.bind("cpu", m.cpuPercent().orElse(null)).bind("mem", m.memoryPercent().orElse(null))
                .bind("mb", m.memoryMb().orElse(null)).bind("jobs", m.currentJobCount().orElse(null)).bind("id", id);
    }

    public boolean setStatus(String id, Robot.Status status) {
        return Jdbi3.call("robots", () -> jdbi.inTransaction(h -> {
            Optional<String> before = lockStatus(h, id);
            if (before.isEmpty()) {
                return false;
            }
            h.createUpdate("UPDATE robots SET status = :status,"
                            + " last_heartbeat = CASE WHEN :status = 'offline' THEN last_heartbeat ELSE CURRENT_TIMESTAMP END"
                            + " WHERE id = :id")
                    .bind("status", status.wireName()).bind("id", id).execute();
            statusChanged(h, id, before, status);
            return true;
        }));
    }

    /** The robot's status, its row locked until the transaction ends; empty when it does not exist. */
    private static Optional<String> lockStatus(Handle h, String id) {
        return h.createQuery("SELECT status FROM robots WHERE id = :id FOR UPDATE").bind("id", id).mapTo(String.class).findOne();
    }

    /** Publishes, after commit, that the robot went from {@code before} (empty: new) to {@code after}, unless it was so already. */
    private void statusChanged(Handle h, String id, Optional<String> before, Robot.Status after) {
        if (!before.equals(Optional.of(after.wireName()))) {
            events.afterCommit(h, Change.robot(id, before, after.wireName()));
        }
    }

    public boolean setMaintenance(String id, boolean on) {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> h.createUpdate("UPDATE robots SET maintenance = :on WHERE id = :id")
                .bind("on", on).bind("id", id).execute())) == 1;
    }

    /** Ends a robot's leases now (the lease sweep re-queues its jobs). */
    public void expireLeasesOf(String id) {
        Jdbi3.run("robots", () -> jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET lease_expires_at = CURRENT_TIMESTAMP"
                + " WHERE robot_id = :id AND " + JobTransitions.leased("")).bind("id", id).execute()));
    }

    public boolean delete(String id) {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM robots WHERE id = :id")
                .bind("id", id).execute())) == 1;
    }

    /**
     * Marks robots silent for longer than {@code timeoutSeconds} offline and ends their leases
     * now, so the lease sweep re-queues their jobs. Returns the ids marked.
     */
    public List<String> markSilentOffline(int timeoutSeconds) {
        return Jdbi3.call("robots", () -> jdbi.inTransaction(h -> {
            java.util.Map<String, String> was = new java.util.LinkedHashMap<>();
            h.createQuery("SELECT id, status FROM robots WHERE status <> 'offline' AND last_heartbeat < "
                            + dialect.plusSeconds("CURRENT_TIMESTAMP", "-:timeout") + " ORDER BY id")
                    .bind("timeout", timeoutSeconds)
                    .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> was.put(e.getKey(), e.getValue()));
            List<String> silent = List.copyOf(was.keySet());
            if (!silent.isEmpty()) {
                h.createUpdate("UPDATE robots SET status = 'offline' WHERE id IN (<ids>)").bindList("ids", silent).execute();
                h.createUpdate("UPDATE jobs SET lease_expires_at = CURRENT_TIMESTAMP WHERE robot_id IN (<ids>)"
                        + " AND " + JobTransitions.leased("")).bindList("ids", silent).execute();
                was.forEach((id, status) -> statusChanged(h, id, Optional.of(status), Robot.Status.OFFLINE));
            }
            return silent;
        }));
    }

    /** A robot's WebSocket connection: its id and the instance that holds it. */
    public record Connection(String connectionId, String instanceId) {}

    /**
     * Makes this the robot's current connection and returns the one it replaces, if any (the
     * robot row is locked meanwhile, so a concurrent claim for the old connection either
     * finishes first or sees the new one). A new connection is published as a change of the
     * robot ({@link Change#robotConnection}) once it commits.
     */
    public Optional<Connection> connect(String robotId, String connectionId, String instanceId) {
        record Row(String status, Connection connection) {}
        return Jdbi3.call("robots", () -> jdbi.inTransaction(h -> {
            Optional<Row> row = h.createQuery("SELECT status, connection_id, connection_instance FROM robots WHERE id = :id"
                            + " FOR UPDATE")
                    .bind("id", robotId)
                    .map((rs, ctx) -> new Row(rs.getString(1), new Connection(rs.getString(2), rs.getString(3))))
                    .findFirst();
            if (row.isEmpty()) {
                return Optional.empty();
            }
            Connection previous = row.get().connection();
            if (previous.equals(new Connection(connectionId, instanceId))) {
                return Optional.empty();
            }
            h.createUpdate("UPDATE robots SET connection_id = :connection, connection_instance = :instance,"
                            + " connected_at = CURRENT_TIMESTAMP WHERE id = :id")
                    .bind("connection", connectionId).bind("instance", instanceId).bind("id", robotId).execute();
            events.afterCommit(h, Change.robotConnection(robotId, row.get().status()));
            return Optional.of(previous).filter(p -> p.connectionId() != null && !p.connectionId().equals(connectionId));
        }));
    }

    /**
     * Forgets the robot's connection if it is still this one (a newer one is left alone), and
     * publishes that as a change of the robot once it commits: the robot keeps its status and
     * its leases until the heartbeat sweep, but it is no longer connected anywhere.
     */
    public void disconnect(String robotId, String connectionId) {
        Jdbi3.run("robots", () -> jdbi.useTransaction(h -> {
            Optional<String> status = h.createQuery("SELECT status FROM robots WHERE id = :id AND connection_id = :connection"
                            + " FOR UPDATE")
                    .bind("id", robotId).bind("connection", connectionId).mapTo(String.class).findOne();
            if (status.isEmpty()) {
                return;
            }
            h.createUpdate("UPDATE robots SET connection_id = NULL, connection_instance = NULL, connected_at = NULL"
                            + " WHERE id = :id")
                    .bind("id", robotId).execute();
            events.afterCommit(h, Change.robotConnection(robotId, status.get()));
        }));
    }

    /**
     * The current connection id of each of these robots that exists ({@code ""} when it has
     * none); a deleted robot is left out.
     */
    public java.util.Map<String, String> currentConnections(java.util.Collection<String> robotIds) {
        if (robotIds.isEmpty()) {
            return java.util.Map.of();
        }
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            h.createQuery("SELECT id, connection_id FROM robots WHERE id IN (<ids>)").bindList("ids", List.copyOf(robotIds))
                    .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2)))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        }));
    }

    /** The robots a fleet key registered and may still act as: those no key is bound to. */
    public List<String> registeredBy(String keyId) {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> h.createQuery("SELECT id FROM robots r WHERE registered_by = :key"
                        + " AND NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.robot_id = r.id) ORDER BY id")
                .bind("key", keyId).mapTo(String.class).list()));
    }

    /**
     * Whether an API key is, or ever was, bound to this robot id (revoked and expired keys
     * count): such an id belongs to bound keys, never again to a fleet key.
     */
    public boolean hasBoundKey(String robotId) {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM api_keys WHERE robot_id = :id")
                .bind("id", robotId).mapTo(Long.class).one())) > 0;
    }

    /** Robots whose heartbeats say they are there (online or busy, maintenance included). */
    public int countOnline() {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM robots WHERE status <> 'offline'").mapTo(Integer.class).one()));
    }

    /** Leased jobs per robot: how many of its slots are taken. */
    public int leasedJobs(String robotId) {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM jobs WHERE robot_id = :id AND " + JobTransitions.leased(""))
                .bind("id", robotId).mapTo(Integer.class).one()));
    }

    /** The ids of the jobs a robot holds now. */
    public List<String> currentJobs(String robotId) {
        return Jdbi3.call("robots", () -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM jobs WHERE robot_id = :id AND " + JobTransitions.leased("") + " ORDER BY id")
                .bind("id", robotId).mapTo(String.class).list()));
    }

    /** A robot row with each folder it is assigned to: one row per folder, one with a null folder when it has none. */
    static final String WITH_FOLDERS = "SELECT " + COLUMNS + ", f.folder_id AS assigned_folder FROM robots"
            + " LEFT JOIN robot_folders f ON f.robot_id = robots.id";

    private static Optional<Robot> read(Handle h, String id) {
        return robots(h.createQuery(WITH_FOLDERS + " WHERE robots.id = :id ORDER BY f.folder_id").bind("id", id)).stream().findFirst();
    }

    /** The robots of a {@link #WITH_FOLDERS} query ordered by robot, each with its folders. */
    static List<Robot> robots(org.jdbi.v3.core.statement.Query query) {
        record Row(Robot robot, String folder) {}
        java.util.Map<String, Robot> out = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<String>> folders = new java.util.HashMap<>();
        for (Row row : query.map((rs, ctx) -> new Row(map(rs, List.of()), rs.getString("assigned_folder"))).list()) {
            out.putIfAbsent(row.robot().id(), row.robot());
            List<String> of = folders.computeIfAbsent(row.robot().id(), id -> new java.util.ArrayList<>());
            if (row.folder() != null) {
                of.add(row.folder());
            }
        }
        return out.values().stream().map(r -> r.withFolders(folders.get(r.id()))).toList();
    }

    private static Robot map(ResultSet rs, List<String> folders) throws SQLException {
        return new Robot(
                rs.getString("id"),
                rs.getString("name"),
                Optional.ofNullable(rs.getString("hostname")),
                JobRows.strings(rs.getString("capabilities")),
                JobRows.strings(rs.getString("tags")),
                Optional.ofNullable(rs.getString("environment")),
                rs.getInt("max_concurrent_jobs"),
                Robot.Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
                rs.getBoolean("maintenance"),
                Optional.ofNullable(rs.getString("agent_version")),
                rs.getString("protocol"),
                Optional.ofNullable(rs.getString("registered_by")),
                instant(rs.getObject("registered_at")).orElseThrow(),
                instant(rs.getObject("last_heartbeat")),
                optionalDouble(rs, "cpu_percent"),
                optionalDouble(rs, "memory_percent"),
                optionalDouble(rs, "memory_mb"),
                rs.getInt("current_job_count"),
                Optional.ofNullable(rs.getString("node_types")).map(JobRows::strings),
                folders,
                Optional.ofNullable(rs.getString("connection_instance")));
    }

    private static Optional<Double> optionalDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
