package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.workflow.WorkflowDefinition;
import com.casarerpa.orchestrator.domain.WorkflowLimits;
import com.casarerpa.orchestrator.service.DeployRequest;
import com.casarerpa.orchestrator.service.ExportDocument;
import com.casarerpa.orchestrator.service.ScheduleSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deploy FILE}: stores a workflow file as a new workflow or as the next version of the
 * workflow with that name. The file is checked here first, so a bad file gets the same one line
 * whether the command talks to a server or to the database.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy a workflow file: a new workflow, or the next version of the workflow with that name.")
final class DeployCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", paramLabel = "FILE", description = "The workflow JSON file.")
    Path file;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Workflow name (default: metadata.name in the file, else its name, else the file name).")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "Description of the workflow.")
    String description;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag; repeat for several.")
    List<String> tags;

    @Option(names = "--folder", paramLabel = "ID_OR_PATH",
            description = "Folder of a new workflow: its id or path, e.g. Default/Finance (default: Default). A new version stays in its workflow's folder.")
    String folder;

    @Option(names = "--trigger", paramLabel = "TYPE",
            description = "Trigger to create with the workflow: schedule (needs --cron; a repeated deploy changes that schedule).")
    String trigger;

    @Option(names = "--cron", paramLabel = "EXPR", description = "Cron expression of a schedule trigger, e.g. \"0 9 * * 1-5\".")
    String cron;

    @Option(names = "--timezone", paramLabel = "ZONE",
            description = "IANA time zone of the schedule (default: scheduler.timezone).")
    String timezone;

    @Option(names = "--json", description = "Print the deployment as JSON for scripts.")
    boolean json;

    DeployCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Optional<ScheduleSpec> schedule = checkTrigger();
        JsonNode definition = WorkflowFiles.readJson(ctx, file, WorkflowLimits.MAX_DEFINITION_BYTES, "workflow");
        if (ExportDocument.FORMAT.equals(definition.path("format").asText(null))) {
            throw new CommandFailure(file + " is an export of workflows; restore it with: casare-rpa orchestrator"
                    + " import-workflows " + file);
        }
        try {
            WorkflowDefinition.of(definition);
        } catch (InvalidWorkflowException e) {
            throw CommandFailure.listing(file.toString(), e.descriptions(), e);
        }
        DeployRequest request = new DeployRequest(workflowName(definition), definition, Optional.ofNullable(description),
                Optional.ofNullable(tags), Optional.ofNullable(folder));
        try (WorkflowGateway gateway = WorkflowGateway.open(ctx, config, remote)) {
            String result = gateway.deploy(request, schedule);
            if (json) {
                ctx.out().println(result);
            } else {
                ctx.out().println(WorkflowOutput.deployed(result));
                WorkflowOutput.scheduled(result).ifPresent(ctx.out()::println);
            }
        }
        return 0;
    }

    /** The schedule trigger, its cron and time zone checked before anything is deployed. */
    private Optional<ScheduleSpec> checkTrigger() {
        if (trigger == null) {
            if (cron != null || timezone != null) {
                throw new CommandFailure((cron != null ? "--cron" : "--timezone") + " needs --trigger schedule",
                        CommandRunner.EXIT_USAGE, null);
            }
            return Optional.empty();
        }
        if (!trigger.equals("schedule")) {
            throw new CommandFailure("unknown --trigger \"" + trigger + "\"; the only trigger type is schedule",
                    CommandRunner.EXIT_USAGE, null);
        }
        if (cron == null) {
            throw new CommandFailure("--trigger schedule needs --cron, e.g. --cron \"0 9 * * *\"", CommandRunner.EXIT_USAGE, null);
        }
        CronOptions.check(cron, Optional.ofNullable(timezone));
        return Optional.of(new ScheduleSpec(Optional.empty(), Optional.empty(), Optional.of(cron), Optional.ofNullable(timezone),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private String workflowName(JsonNode definition) {
        if (name != null) {
            return name;
        }
        return WorkflowDefinition.declaredName(definition).orElseGet(() -> {
            String fileName = file.getFileName().toString();
            return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        });
    }
}
