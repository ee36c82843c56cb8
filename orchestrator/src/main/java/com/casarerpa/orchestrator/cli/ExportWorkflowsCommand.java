package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code export-workflows --output FILE [--include-secrets]}: every workflow with every version, in
 * the export format; the values of sensitive variables hidden unless asked for.
 */
@Command(name = "export-workflows", mixinStandardHelpOptions = true,
        description = "Export every workflow with all its versions to a JSON file (restore with import-workflows).")
final class ExportWorkflowsCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Mixin
    RemoteOptions remote;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "FILE", description = "File to write (replaced if it exists).")
    Path output;

    @Option(names = "--include-secrets", description = "Write the values of sensitive variables instead of \"***\" (admin"
            + " only; needed for a backup that restores into an empty database). Keep the file safe.")
    boolean includeSecrets;

    ExportWorkflowsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try (WorkflowGateway gateway = WorkflowGateway.open(ctx, config, remote)) {
            JsonNode document = WorkflowJson.parse(gateway.exportAll(includeSecrets));
            WorkflowFiles.writeJson(ctx, output, document);
            ctx.out().println(WorkflowOutput.exported(document, output.toString()));
            WorkflowOutput.secretsNote(document).ifPresent(ctx.out()::println);
        }
        return 0;
    }
}
