package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A robot of the fleet as stored. {@code status} is what its heartbeats say (online, busy) or
 * offline when they stopped; {@code maintenance} means "no new work", whatever the status.
 *
 * @param registeredBy the API key that registered it (a fleet key may act on the robots it registered)
 * @param protocol     {@code websocket} or {@code rest}: how it talks to the orchestrator
 * @param nodeTypes    the workflow node types it said it runs at its last register; empty: it did not say, it runs any
 * @param folders      the folders it is assigned to (ids, sorted); it serves them and every folder below. Empty:
 *                     it is assigned to none and serves the root, that is, every folder
 */
public record Robot(
        String id,
        String name,
        Optional<String> hostname,
        List<String> capabilities,
        List<String> tags,
        Optional<String> environment,
        int maxConcurrentJobs,
        Status status,
        boolean maintenance,
        Optional<String> agentVersion,
        String protocol,
        Optional<String> registeredBy,
        Instant registeredAt,
        Optional<Instant> lastHeartbeat,
        Optional<Double> cpuPercent,
        Optional<Double> memoryPercent,
        Optional<Double> memoryMb,
        int currentJobCount,
        Optional<List<String>> nodeTypes,
        List<String> folders,
        Optional<String> instance) {

    public Robot {
        folders = List.copyOf(folders);
    }

    /** The folders it is assigned to, or the root when none: what it serves, with every folder below. */
    public List<String> homeFolders() {
        return folders.isEmpty() ? List.of(Folder.ROOT_ID) : folders;
    }

    /** The same robot, assigned to {@code assigned}. */
    public Robot withFolders(List<String> assigned) {
        return new Robot(id, name, hostname, capabilities, tags, environment, maxConcurrentJobs, status, maintenance,
                agentVersion, protocol, registeredBy, registeredAt, lastHeartbeat, cpuPercent, memoryPercent, memoryMb,
                currentJobCount, nodeTypes, assigned, instance);
    }

    /** What a robot id may be, as people read it. */
    public static final String ID_RULE = "1 to 200 characters of letters, digits and . _ : @ -";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,200}");

    /**
     * Whether {@code id} has the shape of a robot id: the rule of every registration (REST and
     * WebSocket) and of the robot id a key is bound to, so a key is never bound to an id no robot
     * can register.
     */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public enum Status {
        ONLINE, BUSY, OFFLINE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What people and dashboards see: maintenance shows unless the robot is offline. */
    public String displayStatus() {
        return maintenance && status != Status.OFFLINE ? "maintenance" : status.wireName();
    }

    /**
     * Its WebSocket connection as people see it: {@code CONNECTED} while an instance holds it;
     * {@code LOST} when it is a WebSocket robot, not offline, whose connection closed without a
     * goodbye (it keeps its status and its jobs until the heartbeat sweep takes it offline, a
     * network blip should not requeue work, unless it reconnects first); {@code NONE} for a REST
     * robot, which holds no connection, and an offline one.
     */
    public Connection connection() {
        if (instance.isPresent()) {
            return Connection.CONNECTED;
        }
        return "websocket".equals(protocol) && status != Status.OFFLINE ? Connection.LOST : Connection.NONE;
    }

    public enum Connection {
        CONNECTED, LOST, NONE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * When the heartbeat sweep takes it offline unless it is heard from before: its last
     * heartbeat plus {@code heartbeatTimeout}; empty when it is offline already.
     */
    public Optional<Instant> offlineAt(java.time.Duration heartbeatTimeout) {
        return status == Status.OFFLINE ? Optional.empty() : lastHeartbeat.map(t -> t.plus(heartbeatTimeout));
    }

    /** True when it may run a workflow made of these node types. */
    public boolean runs(java.util.Collection<String> workflowNodeTypes) {
        return nodeTypes.map(offered -> offered.containsAll(workflowNodeTypes)).orElse(true);
    }

    /**
     * What a robot says about itself when it registers (again). {@code nodeTypes}: the node types
     * it runs, when it says (the WebSocket protocol); empty runs any.
     */
    public record Registration(String id, String name, Optional<String> hostname, List<String> capabilities,
            List<String> tags, Optional<String> environment, int maxConcurrentJobs, Optional<String> agentVersion,
            String protocol, Optional<List<String>> nodeTypes) {

        /** A robot that does not say which node types it runs (the REST protocol). */
        public Registration(String id, String name, Optional<String> hostname, List<String> capabilities, List<String> tags,
                Optional<String> environment, int maxConcurrentJobs, Optional<String> agentVersion, String protocol) {
            this(id, name, hostname, capabilities, tags, environment, maxConcurrentJobs, agentVersion, protocol, Optional.empty());
        }
    }

    /** A heartbeat's measurements. */
    public record Metrics(Optional<Double> cpuPercent, Optional<Double> memoryPercent, Optional<Double> memoryMb,
            Optional<Integer> currentJobCount) {}
}
