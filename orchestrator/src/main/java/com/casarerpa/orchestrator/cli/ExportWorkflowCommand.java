package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code export-workflow ID_OR_NAME --output FILE [--version N]}: one workflow in the same
 * envelope as {@code export-workflows}, so it can be imported elsewhere.
 */
@Command(name = "export-workflow", mixinStandardHelpOptions = true,
        description = "Export one workflow (all versions, or one with --version) to a JSON file in the export format.")
final class ExportWorkflowCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", paramLabel = "ID_OR_NAME", description = "Workflow id (wf_…) or name.")
    String workflow;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "FILE", description = "File to write (replaced if it exists).")
    Path output;

    @Option(names = "--version", paramLabel = "N", description = "Only this version (default: every version).")
    Integer version;

    @Option(names = "--include-secrets", description = "Write the values of sensitive variables instead of \"***\" (admin"
            + " only; needed for a backup that restores into an empty database). Keep the file safe.")
    boolean includeSecrets;

    ExportWorkflowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (version != null && version < 1) {
            throw new com.casarerpa.common.cli.CommandFailure("--version must be 1 or more, got " + version,
                    com.casarerpa.common.cli.CommandRunner.EXIT_USAGE, null);
        }
        try (WorkflowGateway gateway = WorkflowGateway.open(ctx, config, remote)) {
            JsonNode document = WorkflowJson.parse(gateway.exportOne(workflow, Optional.ofNullable(version), includeSecrets));
            WorkflowFiles.writeJson(ctx, output, document);
            JsonNode w = document.path("workflows").path(0);
            ctx.out().println("Exported workflow " + w.path("id").asText() + " (\"" + w.path("name").asText() + "\", "
                    + WorkflowOutput.plural(w.path("versions").size(), "version") + ") to " + output + ".");
            WorkflowOutput.secretsNote(document).ifPresent(ctx.out()::println);
        }
        return 0;
    }
}
