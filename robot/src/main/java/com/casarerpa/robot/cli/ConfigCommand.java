package com.casarerpa.robot.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.common.cli.TextTable;
import com.casarerpa.common.config.ResolvedValue;
import com.casarerpa.common.json.Json;
import com.casarerpa.robot.config.RobotConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code casare-rpa robot config}: the robot's effective configuration and where each value comes from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the robot's effective configuration and where each value comes from (secrets masked).")
final class ConfigCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    RobotOptions options;

    @Option(names = "--json", description = "Print JSON instead of the table, for scripts.")
    boolean json;

    ConfigCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<ResolvedValue<?>> values = RobotConfig.entries(ctx, Optional.ofNullable(options.configFile), options.flags(Map.of()));
        if (json) {
            ObjectNode root = Json.mapper().createObjectNode();
            for (ResolvedValue<?> v : values) {
                ObjectNode entry = root.putObject(v.path()).put("value", v.value().isPresent() ? v.display() : null)
                        .put("source", v.source().label()).put("origin", v.origin());
                v.variables().forEach(entry.withArray("variables")::add);
            }
            JsonOutput.print(ctx.out(), root);
            return 0;
        }
        TextTable table = new TextTable("key", "value", "source");
        for (ResolvedValue<?> v : values) {
            table.row(v.path(), v.value().isPresent() ? v.display() : "(not set)",
                    v.source().label() + (v.origin().isEmpty() ? "" : " (" + v.where() + ")"));
        }
        table.print(ctx.out());
        return 0;
    }
}
