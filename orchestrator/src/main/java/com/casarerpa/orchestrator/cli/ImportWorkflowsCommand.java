package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.service.ExportDocument;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code import-workflows FILE}: restores an export (of one or all workflows) with the same ids,
 * names, versions and checksums. All or nothing: identical workflows are skipped; any clash
 * refuses the whole file.
 */
@Command(name = "import-workflows", mixinStandardHelpOptions = true,
        description = "Restore workflows from an export file (export-workflows or export-workflow).")
final class ImportWorkflowsCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", paramLabel = "FILE", description = "The export file.")
    Path file;

    @Option(names = "--json", description = "Print the import report as JSON for scripts.")
    boolean json;

    ImportWorkflowsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        JsonNode document = WorkflowFiles.readJson(ctx, file, ExportDocument.MAX_BYTES, "workflow export");
        try (WorkflowGateway gateway = WorkflowGateway.open(ctx, config, remote)) {
            JsonNode report = WorkflowJson.parse(gateway.importDocument(WorkflowJson.compact(document)));
            if (json) {
                ctx.out().println(WorkflowJson.compact(report));
                return 0;
            }
            for (JsonNode item : report.path("imported")) {
                ctx.out().println("Imported " + describe(item) + ".");
            }
            for (JsonNode item : report.path("skipped")) {
                ctx.out().println("Skipped " + describe(item) + ": already here, identical.");
            }
            ctx.out().println("Imported " + WorkflowOutput.plural(report.path("imported").size(), "workflow") + ", skipped "
                    + report.path("skipped").size() + " identical, into " + gateway.target() + ".");
        }
        return 0;
    }

    private static String describe(JsonNode item) {
        JsonNode versions = item.path("versions");
        return item.path("id").asText() + " \"" + item.path("name").asText() + "\" ("
                + WorkflowOutput.plural(versions.size(), "version") + ")";
    }
}
