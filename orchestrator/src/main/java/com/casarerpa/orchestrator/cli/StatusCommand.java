package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.JsonOutput;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code status}: whether the instance of a pid file runs, and how it fares (from the process,
 * the file it wrote beside its pid file, and its {@code /health}). Exit codes as LSB service
 * scripts use them: 0 running, 1 dead but the pid file is left, 3 stopped.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show whether the orchestrator runs: pid, uptime, version, address, database, health and robots online.",
            "Exit code: 0 running, 1 not running but its pid file is left (it crashed or was killed), 3 stopped."})
final class StatusCommand implements Callable<Integer> {
    static final int RUNNING = 0;
    static final int DEAD = 1;
    static final int STOPPED = 3;

    private final CliContext ctx;

    @Mixin
    PidFileOptions which;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        PidFile pidFile = which.resolve(ctx);
        Optional<ProcessHandle> live = pidFile.liveProcess();
        Map<String, Object> report = new LinkedHashMap<>();
        int code;
        if (live.isPresent()) {
            code = RUNNING;
            running(report, live.get(), pidFile);
        } else if (pidFile.exists()) {
            code = DEAD;
            report.put("state", "dead");
            report.put("pid", pidFile.pid().orElse(null));
        } else {
            code = STOPPED;
            report.put("state", "stopped");
        }
        report.put("pid_file", pidFile.path().toString());
        if (json) {
            JsonOutput.print(ctx.out(), report);
        } else {
            print(ctx.out(), report, code);
        }
        return code;
    }

    private static void running(Map<String, Object> report, ProcessHandle process, PidFile pidFile) {
        Optional<InstanceInfo> info = pidFile.info().filter(i -> i.pid() == process.pid());
        Optional<Instant> started = process.info().startInstant();
        report.put("state", "running");
        report.put("pid", process.pid());
        report.put("started_at", started.map(Instant::toString).orElse(null));
        report.put("uptime_seconds", started.map(s -> Duration.between(s, Instant.now()).toSeconds()).orElse(null));
        report.put("version", info.map(InstanceInfo::version).orElse(null));
        report.put("address", info.map(InstanceInfo::address).orElse(null));
        report.put("database", info.map(InstanceInfo::database).orElse(null));
        report.put("log_file", info.flatMap(InstanceInfo::logFile).map(Path::toString).orElse(null));
        HealthProbe.Answer health = info.map(i -> HealthProbe.ask(i.address()))
                .orElseGet(() -> HealthProbe.Answer.none("still starting (it has not written its address yet)"));
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("http_status", health.answered() ? health.status() : null);
        h.put("status", health.field("status", null));
        h.put("database", health.field("database", null));
        h.put("queue", health.field("queue", null));
        h.put("error", health.answered() ? null : health.error());
        report.put("health", h);
        report.put("robots_online", health.body().hasNonNull("robots_online") ? health.body().get("robots_online").asInt() : null);
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, Map<String, Object> r, int code) {
        switch (code) {
            case STOPPED -> out.println("orchestrator: stopped (no pid file at " + r.get("pid_file") + ")");
            case DEAD -> out.println("orchestrator: dead: the pid file " + r.get("pid_file") + " names pid " + r.get("pid")
                    + ", which is gone (it crashed or was killed; the pid may be another program's now);"
                    + " 'casare-rpa orchestrator stop' removes the file");
            default -> {
                Map<String, Object> h = (Map<String, Object>) r.get("health");
                out.println("orchestrator:  running");
                out.println("pid:           " + r.get("pid"));
                out.println("uptime:        " + uptime(r.get("uptime_seconds")) + orEmpty(" (since ", r.get("started_at"), ")"));
                out.println("version:       " + orUnknown(r.get("version")));
                out.println("address:       " + orUnknown(r.get("address")));
                out.println("database:      " + orUnknown(r.get("database")));
                out.println("health:        " + (h.get("status") != null ? h.get("status") + " (database " + h.get("database")
                        + ", queue " + h.get("queue") + ")" : "no answer from /health: " + h.get("error")));
                out.println("robots online: " + orUnknown(r.get("robots_online")));
                out.println("pid file:      " + r.get("pid_file"));
                out.println("log file:      " + (r.get("log_file") != null ? r.get("log_file")
                        : "none: it runs in the foreground (its output goes where its standard output goes: the terminal, journald)"));
            }
        }
        out.flush();
    }

    private static String uptime(Object seconds) {
        if (!(seconds instanceof Long s)) {
            return "unknown";
        }
        Duration d = Duration.ofSeconds(s);
        return d.toDaysPart() > 0 ? String.format("%dd %dh %dm", d.toDaysPart(), d.toHoursPart(), d.toMinutesPart())
                : d.toHoursPart() > 0 ? String.format("%dh %dm %ds", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart())
                : String.format("%dm %ds", d.toMinutesPart(), d.toSecondsPart());
    }

    private static String orUnknown(Object value) {
        return value == null ? "unknown" : value.toString();
    }

    private static String orEmpty(String before, Object value, String after) {
        return value == null ? "" : before + value + after;
    }
}
