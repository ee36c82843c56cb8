package com.casarerpa.robot.testing;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.engine.Engines;
import com.casarerpa.robot.agent.RobotAgent;
import com.casarerpa.robot.agent.WorkDir;
import com.casarerpa.robot.config.RobotConfig;
import com.casarerpa.robot.config.RobotSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A robot running in the test's JVM, configured as {@code casare-rpa robot start} would be
 * (the same configuration keys), with the real engine.
 */
public final class LocalRobot implements AutoCloseable {
    private final RobotAgent agent;
    private final WorkDir workDir;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile Runnable beforeClose = () -> {};

    private LocalRobot(RobotAgent agent, WorkDir workDir) {
        this.agent = agent;
        this.workDir = workDir;
    }

    /** Starts a robot; {@code flags} are configuration keys by dotted path ({@code robot.max_jobs}). */
    public static LocalRobot start(String url, String apiKey, Path workDir, Map<String, String> flags) throws Exception {
        Map<String, String> all = new HashMap<>(flags);
        all.put("robot.url", url);
        all.put("robot.api_key", apiKey);
        all.put("robot.work_dir", workDir.toString());
        // the robot's environment: its PATH only, so that allowed programs are found by name
        CliContext ctx = new CliContext(Map.of("PATH", System.getenv().getOrDefault("PATH", "")), workDir, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        RobotSettings settings = RobotConfig.load(ctx, Optional.empty(), all);
        WorkDir dir = WorkDir.open(settings.workDir());
        Files.createDirectories(settings.engine().workDir());
        LocalRobot robot = new LocalRobot(new RobotAgent(settings, Engines.standard(settings.engine()), dir), dir);
        Thread t = new Thread(() -> {
            try {
                robot.exit.complete(robot.agent.run());
            } catch (Throwable e) {
                robot.exit.completeExceptionally(e);
            }
        }, "test-robot-" + workDir.getFileName());
        t.setDaemon(true);
        t.start();
        return robot;
    }

    public RobotAgent agent() {
        return agent;
    }

    /** The robot's exit code, once it stopped. */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** Runs {@code action} first when this robot is closed (a scripted server that should answer its shutdown, say). */
    public LocalRobot beforeClose(Runnable action) {
        beforeClose = action;
        return this;
    }

    public void shutdown() throws InterruptedException {
        agent.shutdown();
    }

    @Override
    public void close() throws Exception {
        beforeClose.run();
        if (!exit.isDone()) {
            agent.shutdown();
        }
        exit.get(30, TimeUnit.SECONDS);
        workDir.close();
    }
}
