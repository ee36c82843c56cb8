package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.service.DeployRequest;
import com.casarerpa.orchestrator.service.ScheduleSpec;
import java.util.Optional;

/**
 * Where the workflow commands send their work: the configured database (through the same
 * services the server uses, as the local CLI actor) or a running server's REST API. Both answer
 * with the JSON the REST API returns, as text; failures are {@link com.casarerpa.common.cli.CommandFailure}s.
 */
interface WorkflowGateway extends AutoCloseable {
    /**
     * The deployment: workflow, version, checksum, … ({@code POST /api/v1/workflows}); with a
     * schedule trigger also the schedule it made or changed.
     */
    String deploy(DeployRequest request, Optional<ScheduleSpec> trigger);

    /** An export document of every workflow; sensitive values hidden unless {@code includeSecrets} (admins only). */
    String exportAll(boolean includeSecrets);

    /** An export document of one workflow (every version, or only {@code version}), as {@link #exportAll}. */
    String exportOne(String idOrName, Optional<Integer> version, boolean includeSecrets);

    /** The import report: {@code {"imported":[…],"skipped":[…]}}. */
    String importDocument(String documentJson);

    /** Where the work goes, for messages: a URL or the database. */
    String target();

    @Override
    void close();

    static WorkflowGateway open(CliContext ctx, ConfigOptions config, RemoteOptions remote) {
        return remote.client(ctx).<WorkflowGateway>map(RemoteWorkflowGateway::new)
                .orElseGet(() -> LocalWorkflowGateway.open(ctx, config));
    }
}
