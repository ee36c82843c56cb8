package com.casarerpa.robot.agent;

import com.casarerpa.engine.WorkflowEngine;
import com.casarerpa.robot.config.RobotSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What the robot says about itself: the {@code register} message (identity, what it can run,
 * the jobs it holds), each {@code heartbeat} (machine load, the jobs it holds) and its
 * {@code goodbye}.
 */
public final class AgentMessages {
    private final RobotSettings settings;
    private final WorkflowEngine engine;
    private final JobBook book;
    private final MachineMetrics metrics = new MachineMetrics();

    AgentMessages(RobotSettings settings, WorkflowEngine engine, JobBook book) {
        this.settings = settings;
        this.engine = engine;
        this.book = book;
    }

    /**
     * The node types this robot offers: what its engine runs, without RunCommandNode while the
     * robot's configuration does not allow commands (the dispatcher then sends it no workflow
     * that needs one).
     */
    public static List<String> offeredNodeTypes(RobotSettings settings, WorkflowEngine engine) {
        return engine.nodeTypes().stream().sorted()
                .filter(t -> settings.engine().commands().enabled() || !t.equals("RunCommandNode"))
                .toList();
    }

    /** {@code register}; {@code robotId} is the stored identity, or null for a robot the server names. */
    ObjectNode register(String robotId) {
        ObjectNode m = Wire.message("register").put("protocol_version", Wire.PROTOCOL_VERSION);
        if (robotId != null) {
            m.put("robot_id", robotId);
        }
        settings.name().ifPresent(n -> m.put("name", n));
        m.put("hostname", hostname());
        settings.capabilities().forEach(m.putArray("capabilities")::add);
        offeredNodeTypes(settings, engine).forEach(m.putArray("node_types")::add);
        settings.tags().forEach(m.putArray("tags")::add);
        m.put("environment", settings.environment());
        m.put("max_concurrent_jobs", settings.maxJobs());
        m.put("agent_version", RobotAgent.AGENT_VERSION);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.set("jobs", book.heldForRegister());
        return m;
    }

    /** {@code heartbeat}, with this machine's load now. */
    ObjectNode heartbeat() {
        ObjectNode hb = Wire.message("heartbeat");
        metrics.cpuPercent().ifPresent(v -> hb.put("cpu_percent", v));
        metrics.memoryPercent().ifPresent(v -> hb.put("memory_percent", v));
        metrics.memoryMb().ifPresent(v -> hb.put("memory_mb", v));
        hb.set("jobs", book.heldForHeartbeat());
        return hb;
    }

    /** {@code goodbye}: no more work, the robot is shutting down. */
    static ObjectNode goodbye() {
        return Wire.message("goodbye").put("reason", "shutdown");
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
