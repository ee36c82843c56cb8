package com.casarerpa.robot.config;

import com.casarerpa.common.config.ConfigSchema;
import com.casarerpa.common.config.ResolvedConfig;
import com.casarerpa.common.config.Secret;
import com.casarerpa.common.config.Setting;
import com.casarerpa.common.config.ValueType;
import com.casarerpa.common.logging.LogFormat;
import com.casarerpa.common.logging.LoggingSettings;
import com.casarerpa.common.logging.LoggingValues;
import com.casarerpa.engine.EngineSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * Every key of the robot's configuration ({@code config/robot.yaml}, {@code CASARE_ROBOT_*}
 * variables, flags). docs/robot.md describes the same keys for people; keep them in step.
 * Built per working directory, because relative paths resolve against it.
 */
final class RobotSchema {
    /** The file nodes' root, inside the work dir, so a workflow cannot touch the robot's own files. */
    static final String FILES_DIR = "files";

    final Setting<URI> url = Setting.of("robot.url", RobotUrl.type(), "the orchestrator: ws://host:8000 or wss://host:8000")
            .withFlag("--url");
    final Setting<String> apiKey = Setting.of("robot.api_key", ValueType.string(), "API key of role robot")
            .withFlag("--api-key").asSecret();
    final Setting<String> robotId = Setting.of("robot.id", robotIdType(),
            "robot id to register as; default: the id stored in the work dir, else one the server assigns")
            .withFlag("--robot-id");
    final Setting<String> name = Setting.of("robot.name", ValueType.string(), "display name; default: the host name")
            .withFlag("--name");
    final Setting<List<String>> capabilities = Setting.of("robot.capabilities", labels(100),
            "comma-separated labels matched against a job's required_capabilities").withDefault(",").withFlag("--capabilities");
    final Setting<List<String>> tags = Setting.of("robot.tags", labels(50),
            "comma-separated labels matched against a job's tags").withDefault(",").withFlag("--tags");
    final Setting<String> environment = Setting.of("robot.environment", ValueType.string(),
            "the environment whose jobs this robot takes").withDefault("default").withFlag("--environment");
    final Setting<Integer> maxJobs = Setting.of("robot.max_jobs", ValueType.integer(1, 256), "jobs run at once")
            .withDefault("1").withFlag("--max-jobs");
    final Setting<Path> workDir;
    final Setting<Integer> shutdownGraceSeconds = Setting.of("robot.shutdown_grace_seconds", ValueType.integer(0, 3600),
            "on SIGTERM, how long running jobs may finish before they are stopped").withDefault("30")
            .withFlag("--shutdown-grace");
    final Setting<Path> caFile;

    final Setting<Boolean> runCommand = Setting.of("robot.run_command.enabled", ValueType.bool(),
            "RunCommandNode may run the programs of robot.run_command.allowed_executables").withDefault("false")
            .withFlag("--run-command");
    final Setting<List<String>> allowedExecutables = Setting.of("robot.run_command.allowed_executables", programs(),
            "comma-separated programs RunCommandNode may run: bare names (found on PATH at start) or absolute paths")
            .withDefault(",").withFlag("--allowed-executables");
    final Setting<Boolean> allowShell = Setting.of("robot.run_command.allow_shell", ValueType.bool(),
            "RunCommandNode may pass a line to the system shell, which runs anything").withDefault("false").withFlag("--allow-shell");
    final Setting<List<String>> commandEnvironment = Setting.of("robot.run_command.environment", variableNames(),
            "comma-separated names of the robot's environment variables its programs get; they get no other")
            .withDefault(",").withFlag("--command-environment");
    final Setting<List<String>> exposedEnvironment = Setting.of("robot.expose_environment", variableNames(),
            "comma-separated names of the robot's environment variables that $NAME in a workflow's file paths may read")
            .withDefault(",").withFlag("--expose-environment");
    /** Replaced by {@link #runCommand}: refused with a message naming it, so that nobody relies on it silently. */
    final Setting<String> retiredRunCommand = Setting.of("engine.run_command_enabled", ValueType.string(),
            "retired: refused; use robot.run_command.enabled");
    final Setting<Boolean> filesAnywhere = Setting.of("engine.files_anywhere", ValueType.bool(),
            "file nodes may use any path, not only the work dir's files/ directory").withDefault("false");
    final Setting<Boolean> privateNetworks = Setting.of("engine.allow_private_networks", ValueType.bool(),
            "HttpRequestNode may call loopback and private addresses").withDefault("false");
    final Setting<Integer> nodeTimeoutSeconds = Setting.of("engine.node_timeout_seconds", ValueType.integer(1),
            "the longest one node may take; unset means no limit of its own");

    final Setting<Level> logLevel = Setting.of("logging.level", LoggingValues.level(), "root log level")
            .withDefault("INFO").withFlag("--debug");
    final Setting<LogFormat> logFormat = Setting.of("logging.format", LoggingValues.format(), "text or json lines")
            .withDefault("text").withFlag("--log-format");
    final Setting<Path> logPath;

    private final ConfigSchema schema;

    RobotSchema(Path workingDir) {
        workDir = Setting.of("robot.work_dir", ValueType.path(workingDir),
                "the robot's identity, status file and files/ directory").withDefault("./data/robot").withFlag("--work-dir");
        caFile = Setting.of("robot.ca_file", ValueType.path(workingDir),
                "PEM file of a CA to trust for wss:// (besides the JDK's)").withFlag("--ca-file");
        logPath = Setting.of("logging.path", ValueType.path(workingDir), "file that receives the log lines too");
        schema = new ConfigSchema("CASARE_", List.of(url, apiKey, robotId, name, capabilities, tags, environment, maxJobs,
                workDir, shutdownGraceSeconds, caFile, runCommand, allowedExecutables, allowShell, commandEnvironment,
                exposedEnvironment, retiredRunCommand, filesAnywhere, privateNetworks, nodeTimeoutSeconds,
                logLevel, logFormat, logPath));
    }

    ConfigSchema schema() {
        return schema;
    }

    /**
     * The settings, or a {@link com.casarerpa.common.config.ConfigException} naming a required key that is missing.
     *
     * @param env the robot's environment: what its programs and workflows may be given of it, and its PATH
     */
    RobotSettings settings(ResolvedConfig c, Map<String, String> env) {
        Path work = c.get(workDir);
        Secret key = new Secret(required(c, apiKey));
        EngineSettings engine = new WorkflowAccess(this, c, env).engineSettings(work.resolve(FILES_DIR))
                .withFilesAnywhere(c.get(filesAnywhere)).withPrivateNetworks(c.get(privateNetworks))
                .withNodeTimeout(c.find(nodeTimeoutSeconds).map(Duration::ofSeconds).orElse(null));
        return new RobotSettings(
                required(c, url), key,
                c.find(robotId), c.find(name), c.get(capabilities), c.get(tags), c.get(environment), c.get(maxJobs),
                work, Duration.ofSeconds(c.get(shutdownGraceSeconds)), c.find(caFile), engine,
                new LoggingSettings(c.get(logLevel), c.get(logFormat), c.find(logPath)), secrets(c));
    }

    /** The values of every secret key that is set. */
    private static List<Secret> secrets(ResolvedConfig c) {
        return c.values().stream().filter(v -> v.setting().secret()).flatMap(v -> v.text().stream()).map(Secret::new).toList();
    }

    private <T> T required(ResolvedConfig c, Setting<T> setting) {
        return c.find(setting).orElseThrow(() -> new com.casarerpa.common.config.ConfigException(setting.path()
                + " is required: give " + setting.flag().orElse("") + ", set " + schema.genericEnvVar(setting)
                + ", or write it in the configuration file"));
    }

    /** Comma-separated labels; blanks are dropped, so {@code ","} (the default) is the empty list. */
    private static ValueType<List<String>> labels(int max) {
        return ValueType.of("comma-separated labels of 1 to 100 characters (at most " + max + ")", text -> {
            List<String> list = commaList(text);
            if (list.size() > max || list.stream().anyMatch(s -> s.length() > 100)) {
                throw new IllegalArgumentException("too many or too long");
            }
            return list;
        }, list -> String.join(",", list));
    }

    /** Comma-separated programs: bare names or absolute paths (checked when the settings are built). */
    private static ValueType<List<String>> programs() {
        return ValueType.of("comma-separated program names or absolute paths", RobotSchema::commaList,
                list -> String.join(",", list));
    }

    /** Comma-separated names of environment variables. */
    private static ValueType<List<String>> variableNames() {
        return ValueType.of("comma-separated environment variable names (letters, digits, _)", text -> {
            List<String> list = commaList(text);
            if (list.stream().anyMatch(n -> !n.matches("[A-Za-z_][A-Za-z0-9_]*"))) {
                throw new IllegalArgumentException("not a variable name");
            }
            return list;
        }, list -> String.join(",", list));
    }

    /** The items of a comma-separated list, stripped, blanks and repeats dropped. */
    private static List<String> commaList(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static ValueType<String> robotIdType() {
        return ValueType.of("1 to 128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit", text -> {
            if (!text.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")) {
                throw new IllegalArgumentException("not a robot id");
            }
            return text;
        }, text -> text);
    }


}
