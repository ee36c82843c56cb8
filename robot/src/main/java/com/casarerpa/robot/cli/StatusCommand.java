package com.casarerpa.robot.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.common.cli.TextTable;
import com.casarerpa.common.json.Json;
import com.casarerpa.robot.agent.WorkDir;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code casare-rpa robot status}: what the robot of a work dir is doing, read from the status
 * file it rewrites every second. Exit code 3 when no robot runs with that work dir.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show what the local robot of a work dir is doing (exit code 3 when none runs).")
final class StatusCommand implements Callable<Integer> {
    static final int EXIT_NOT_RUNNING = 3;

    private final CliContext ctx;

    @Mixin
    RobotOptions options;

    @Option(names = "--json", description = "Print the status as JSON, for scripts.")
    boolean json;

    StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Path dir = options.workDir(ctx);
        Path file = dir.resolve(WorkDir.STATUS);
        if (!WorkDir.inUse(dir)) {
            throw new CommandFailure("no robot is running with work dir " + dir
                    + " (start one with 'casare-rpa robot start', or name its directory with --work-dir)", EXIT_NOT_RUNNING, null);
        }
        JsonNode status;
        try {
            status = Json.mapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CommandFailure("a robot runs with work dir " + dir + " but its status file " + file
                    + " cannot be read yet: " + e.getMessage(), e);
        }
        if (json) {
            JsonOutput.print(ctx.out(), status);
        } else {
            print(ctx.out(), status);
        }
        return 0;
    }

    private static void print(PrintWriter out, JsonNode s) {
        out.println("Robot:         " + text(s, "robot_id") + " (" + text(s, "name") + ")");
        out.println("State:         " + text(s, "state") + " since " + text(s, "since"));
        out.println("Orchestrator:  " + text(s, "url") + (s.hasNonNull("connection_id") ? " (connection " + text(s, "connection_id") + ")" : ""));
        out.println("Jobs:          " + s.path("jobs").size() + " of " + s.path("max_jobs").asInt() + " slot(s)");
        out.println("Process:       pid " + s.path("pid").asLong() + ", " + text(s, "agent_version") + ", status at " + text(s, "updated_at"));
        if (!s.path("jobs").isEmpty()) {
            out.println();
            TextTable table = new TextTable("job", "attempt", "workflow", "state", "node", "elapsed");
            for (JsonNode j : s.path("jobs")) {
                String node = j.hasNonNull("node_id") ? text(j, "node_id") + " (" + text(j, "node_type") + ")" : "-";
                table.row(text(j, "job_id"), j.path("attempt").asText(), text(j, "workflow_name"), text(j, "state"), node,
                        seconds(j.path("elapsed_ms").asLong()));
            }
            table.print(out);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "-" : v.asText();
    }

    private static String seconds(long ms) {
        return ms < 60_000 ? (ms / 1000) + " s" : (ms / 60_000) + " min " + (ms / 1000 % 60) + " s";
    }
}
