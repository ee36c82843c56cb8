package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.domain.WorkflowJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code export-workflows --output FILE}: every workflow with every version, in the export format. */
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

    ExportWorkflowsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try (WorkflowGateway gateway = WorkflowGateway.open(ctx, config, remote)) {
            JsonNode document = WorkflowJson.parse(gateway.exportAll());
            WorkflowFiles.writeJson(ctx, output, document);
            ctx.out().println(WorkflowOutput.exported(document, output.toString()));
        }
        return 0;
    }
}
