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
import java.util.LinkedHashMap;
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

    final Setting<Boolean> runCommand = Setting.of("engine.run_command_enabled", bool(),
            "RunCommandNode may run programs").withDefault("true");
    final Setting<Boolean> filesAnywhere = Setting.of("engine.files_anywhere", bool(),
            "file nodes may use any path, not only the work dir's files/ directory").withDefault("false");
    final Setting<Boolean> privateNetworks = Setting.of("engine.allow_private_networks", bool(),
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
                workDir, shutdownGraceSeconds, caFile, runCommand, filesAnywhere, privateNetworks, nodeTimeoutSeconds,
                logLevel, logFormat, logPath));
    }

    ConfigSchema schema() {
        return schema;
    }

    /** The settings, or a {@link com.casarerpa.common.config.ConfigException} naming a required key that is missing. */
    RobotSettings settings(ResolvedConfig c) {
        Path work = c.get(workDir);
        EngineSettings engine = new EngineSettings(work.resolve(FILES_DIR), c.get(filesAnywhere), c.get(runCommand),
                c.get(privateNetworks), c.find(nodeTimeoutSeconds).map(Duration::ofSeconds).orElse(null));
        return new RobotSettings(
                required(c, url),
                new Secret(required(c, apiKey)),
                c.find(robotId), c.find(name), c.get(capabilities), c.get(tags), c.get(environment), c.get(maxJobs),
                work, Duration.ofSeconds(c.get(shutdownGraceSeconds)), c.find(caFile), engine,
                new LoggingSettings(c.get(logLevel), c.get(logFormat), c.find(logPath)));
    }

    private <T> T required(ResolvedConfig c, Setting<T> setting) {
        return c.find(setting).orElseThrow(() -> new com.casarerpa.common.config.ConfigException(setting.path()
                + " is required: give " + setting.flag().orElse("") + ", set " + schema.genericEnvVar(setting)
                + ", or write it in the configuration file"));
    }

    /** Comma-separated labels; blanks are dropped, so {@code ","} (the default) is the empty list. */
    private static ValueType<List<String>> labels(int max) {
        return ValueType.of("comma-separated labels of 1 to 100 characters (at most " + max + ")", text -> {
            List<String> list = Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
            if (list.size() > max || list.stream().anyMatch(s -> s.length() > 100)) {
                throw new IllegalArgumentException("too many or too long");
            }
            return list;
        }, list -> String.join(",", list));
    }

    private static ValueType<String> robotIdType() {
        return ValueType.of("1 to 128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit", text -> {
            if (!text.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")) {
                throw new IllegalArgumentException("not a robot id");
            }
            return text;
        }, text -> text);
    }

    private static ValueType<Boolean> bool() {
        Map<String, Boolean> words = new LinkedHashMap<>();
        words.put("true", true);
        words.put("false", false);
        words.put("yes", true);
        words.put("no", false);
        words.put("on", true);
        words.put("off", false);
        return ValueType.choice(words);
    }

}
