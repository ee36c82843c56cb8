package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.common.cli.TextTable;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code schedules list|enable|disable|delete}: the cron triggers, on the configured database or
 * a running server ({@code --url}). Creating and changing schedules with all their options is
 * the REST API's ({@code POST /api/v1/schedules}) or {@code deploy --trigger schedule}.
 */
@Command(name = "schedules", mixinStandardHelpOptions = true, description = "List, enable, disable or delete schedules.",
        subcommands = {SchedulesCommand.ListSchedules.class, SchedulesCommand.Enable.class, SchedulesCommand.Disable.class,
            SchedulesCommand.Delete.class})
final class SchedulesCommand {

    /** Options every schedules subcommand shares. */
    abstract static class Base implements Callable<Integer> {
        final CliContext ctx;

        @Mixin
        ConfigOptions config;

        @Mixin
        RemoteOptions remote;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        Base(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            try (ScheduleGateway gateway = ScheduleGateway.open(ctx, config, remote)) {
                run(gateway);
            }
            return 0;
        }

        abstract void run(ScheduleGateway gateway);

        void printOne(JsonNode s, String verb) {
            if (json) {
                JsonOutput.print(ctx.out(), s);
            } else {
                ctx.out().println(verb + " schedule \"" + s.path("name").asText() + "\" (" + s.path("id").asText() + ")"
                        + (s.path("next_fire_at").isTextual() ? "; next fire " + s.path("next_fire_at").asText() : "") + ".");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List schedules with their next fire time.")
    static final class ListSchedules extends Base {
        ListSchedules(CliContext ctx) {
            super(ctx);
        }

        @Override
        void run(ScheduleGateway gateway) {
            JsonNode items = gateway.list().path("items");
            if (json) {
                JsonOutput.print(ctx.out(), gateway.list());
                return;
            }
            if (items.isEmpty()) {
                ctx.out().println("No schedules. Create one with: casare-rpa orchestrator deploy FILE --trigger schedule"
                        + " --cron \"0 9 * * *\"");
                return;
            }
            TextTable table = new TextTable("ID", "NAME", "WORKFLOW", "CRON", "TIMEZONE", "ENABLED", "NEXT FIRE", "LAST JOB");
            for (JsonNode s : items) {
                table.row(s.path("id").asText(), s.path("name").asText(), s.path("workflow_id").asText(), s.path("cron").asText(),
                        s.path("timezone").asText(), s.path("enabled").asBoolean() ? "yes" : "no",
                        s.path("next_fire_at").asText("-"), s.path("last_job_id").asText("-"));
            }
            table.print(ctx.out());
        }
    }

    /** A subcommand on one schedule. */
    abstract static class OnOne extends Base {
        @Parameters(index = "0", paramLabel = "SCHEDULE", description = "Schedule id or name.")
        String id;

        OnOne(CliContext ctx) {
            super(ctx);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a schedule (next fire planned from now).")
    static final class Enable extends OnOne {
        Enable(CliContext ctx) {
            super(ctx);
        }

        @Override
        void run(ScheduleGateway gateway) {
            printOne(gateway.setEnabled(id, true), "Enabled");
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a schedule (it fires no more).")
    static final class Disable extends OnOne {
        Disable(CliContext ctx) {
            super(ctx);
        }

        @Override
        void run(ScheduleGateway gateway) {
            printOne(gateway.setEnabled(id, false), "Disabled");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a schedule and its history.")
    static final class Delete extends OnOne {
        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        void run(ScheduleGateway gateway) {
            gateway.delete(id);
            if (json) {
                JsonOutput.print(ctx.out(), Map.of("deleted", id));
            } else {
                ctx.out().println("Deleted schedule " + id + ".");
            }
        }
    }
}
