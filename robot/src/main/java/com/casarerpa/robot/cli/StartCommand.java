package com.casarerpa.robot.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.logging.LogSetup;
import com.casarerpa.common.logging.LogTarget;
import com.casarerpa.engine.Engines;
import com.casarerpa.engine.WorkflowEngine;
import com.casarerpa.robot.agent.AgentMessages;
import com.casarerpa.robot.agent.RobotAgent;
import com.casarerpa.robot.agent.WorkDir;
import com.casarerpa.robot.config.RobotSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code casare-rpa robot start}: runs the robot in the foreground until SIGTERM or SIGINT, then
 * drains (docs/robot.md, "Stopping").
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start a robot (foreground; stop with Ctrl-C or SIGTERM: running jobs get the shutdown grace to finish).")
final class StartCommand implements Callable<Integer> {
    /** Set to true to leave the host's logging alone (tests that run the command in-process). */
    static final String KEEP_LOGGING = "casare.cli.keep-logging";
    private static final Logger log = LoggerFactory.getLogger(StartCommand.class);

    private final CliContext ctx;

    @Mixin
    RobotOptions options;

    @Option(names = "--url", paramLabel = "URL", description = "The orchestrator: ws://host:8000 or wss://host:8000 (robot.url, CASARE_ROBOT_URL).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "API key of role robot (robot.api_key, CASARE_ROBOT_API_KEY; prefer the variable: flags show in 'ps').")
    String apiKey;

    @Option(names = "--robot-id", paramLabel = "ID", description = "Register as this robot id (robot.id; default: the stored one, else assigned).")
    String robotId;

    @Option(names = "--name", paramLabel = "NAME", description = "Display name (robot.name; default: the host name).")
    String name;

    @Option(names = "--capabilities", paramLabel = "LIST", description = "Comma-separated capabilities, e.g. browser,desktop (robot.capabilities).")
    String capabilities;

    @Option(names = "--tags", paramLabel = "LIST", description = "Comma-separated tags (robot.tags).")
    String tags;

    @Option(names = "--environment", paramLabel = "NAME", description = "Environment whose jobs it takes (robot.environment; default: default).")
    String environment;

    @Option(names = "--max-jobs", paramLabel = "N", description = "Jobs run at once, 1-256 (robot.max_jobs; default 1).")
    String maxJobs;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS",
            description = "On SIGTERM, how long running jobs may finish (robot.shutdown_grace_seconds; default 30).")
    String shutdownGrace;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificate(s) to trust for wss:// (robot.ca_file).")
    String caFile;

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text or json (logging.format; default text).")
    String logFormat;

    @Option(names = "--run-command",
            description = "Let RunCommandNode run the programs of --allowed-executables (robot.run_command.enabled; default off).")
    boolean runCommand;

    @Option(names = "--allowed-executables", paramLabel = "LIST", description = "Programs RunCommandNode may run: names"
            + " found on PATH or absolute paths (robot.run_command.allowed_executables). Allowing a shell or an interpreter allows anything.")
    String allowedExecutables;

    @Option(names = "--allow-shell", description = "Let RunCommandNode pass a line to the system shell, which runs anything"
            + " (robot.run_command.allow_shell; default off).")
    boolean allowShell;

    @Option(names = "--command-environment", paramLabel = "NAMES",
            description = "Environment variables the programs get; they get no other (robot.run_command.environment).")
    String commandEnvironment;

    @Option(names = "--expose-environment", paramLabel = "NAMES",
            description = "Environment variables a workflow's file paths may read as $NAME (robot.expose_environment).")
    String exposeEnvironment;

    StartCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        RobotSettings settings = options.load(ctx, flags());
        if (!Boolean.getBoolean(KEEP_LOGGING)) {
            LogSetup.apply(settings.logging(), LogTarget.STDOUT);
        }
        try (WorkDir workDir = WorkDir.open(settings.workDir())) {
            createFilesDir(settings);
            WorkflowEngine engine = Engines.standard(settings.engine());
            RobotAgent agent = new RobotAgent(settings, engine, workDir);
            Thread hook = new Thread(() -> {
                try {
                    agent.shutdown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "robot-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            log.info("robot starting: {} (work dir {}, {} slot(s), {} node types)", settings.url(), settings.workDir(),
                    settings.maxJobs(), AgentMessages.offeredNodeTypes(settings, engine).size());
            int code = agent.run();
            if (code != 0) {
                removeHook(hook);
                throw new CommandFailure(agent.failure().orElse("the robot stopped"));
            }
            return 0;
        }
    }

    private Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "robot.url", url);
        put(f, "robot.api_key", apiKey);
        put(f, "robot.id", robotId);
        put(f, "robot.name", name);
        put(f, "robot.capabilities", capabilities);
        put(f, "robot.tags", tags);
        put(f, "robot.environment", environment);
        put(f, "robot.max_jobs", maxJobs);
        put(f, "robot.shutdown_grace_seconds", shutdownGrace);
        put(f, "robot.ca_file", caFile);
        put(f, "logging.format", logFormat);
        put(f, "robot.run_command.enabled", runCommand ? "true" : null);
        put(f, "robot.run_command.allowed_executables", allowedExecutables);
        put(f, "robot.run_command.allow_shell", allowShell ? "true" : null);
        put(f, "robot.run_command.environment", commandEnvironment);
        put(f, "robot.expose_environment", exposeEnvironment);
        return f;
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    private static void createFilesDir(RobotSettings settings) {
        try {
            Files.createDirectories(settings.engine().workDir());
        } catch (IOException e) {
            throw new CommandFailure("cannot create " + settings.engine().workDir() + ": " + e.getMessage(), e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
