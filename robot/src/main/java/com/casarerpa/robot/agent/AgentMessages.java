package com.casarerpa.robot.agent;

import com.casarerpa.engine.WorkflowEngine;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.robot.config.RobotSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

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
    RobotMessage.Register register(String robotId) {
        return new RobotMessage.Register(null, Protocol.VERSION, null, robotId, settings.name().orElse(null), hostname(),
                List.copyOf(settings.capabilities()), offeredNodeTypes(settings, engine), List.copyOf(settings.tags()),
                settings.environment(), settings.maxJobs(), RobotAgent.AGENT_VERSION,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                book.heldForRegister());
    }

    /** {@code heartbeat}, with this machine's load now. */
    RobotMessage.Heartbeat heartbeat() {
        OptionalDouble cpu = metrics.cpuPercent();
        OptionalDouble memory = metrics.memoryPercent();
        OptionalLong mb = metrics.memoryMb();
        return new RobotMessage.Heartbeat(null, cpu.isPresent() ? cpu.getAsDouble() : null,
                memory.isPresent() ? memory.getAsDouble() : null, mb.isPresent() ? mb.getAsLong() : null,
                book.heldForHeartbeat());
    }

    /** {@code goodbye}: no more work, the robot is shutting down. */
    static RobotMessage.Goodbye goodbye() {
        return new RobotMessage.Goodbye(null, "shutdown");
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
