package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.http.ApiCallException;
import com.casarerpa.common.http.ApiClient;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.service.DeployRequest;
import com.casarerpa.orchestrator.service.ScheduleSpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.Supplier;

/** The workflow commands against a running server ({@code --url}). */
final class RemoteWorkflowGateway implements WorkflowGateway {
    private static final String WITH_SECRETS = "include_secrets=true";

    private final ApiClient api;

    RemoteWorkflowGateway(ApiClient api) {
        this.api = api;
    }

    @Override
    public String deploy(DeployRequest request, Optional<ScheduleSpec> trigger) {
        ObjectNode body = WorkflowJson.mapper().createObjectNode();
        body.put("name", request.name());
        body.set("workflow_data", request.definition());
        request.description().ifPresent(d -> body.put("description", d));
        request.tags().ifPresent(tags -> tags.forEach(body.putArray("tags")::add));
        request.folder().ifPresent(f -> body.put("folder", f));
        trigger.ifPresent(t -> {
            ObjectNode o = body.putObject("trigger");
            o.put("type", "schedule");
            t.cron().ifPresent(c -> o.put("cron", c));
            t.timezone().ifPresent(z -> o.put("timezone", z));
        });
        return call("deploy", () -> api.post("/api/v1/workflows", WorkflowJson.compact(body)));
    }

    @Override
    public String exportAll(boolean includeSecrets) {
        return call("export", () -> api.get("/api/v1/workflows/export" + (includeSecrets ? "?" + WITH_SECRETS : "")));
    }

    @Override
    public String exportOne(String idOrName, Optional<Integer> version, boolean includeSecrets) {
        String query = "?workflow=" + ApiClient.encode(idOrName) + version.map(v -> "&version=" + v).orElse("")
                + (includeSecrets ? "&" + WITH_SECRETS : "");
        return call("export", () -> api.get("/api/v1/workflows/export" + query));
    }

    @Override
    public String importDocument(String documentJson) {
        return call("import", () -> api.post("/api/v1/workflows/import", documentJson));
    }

    @Override
    public String target() {
        return api.base().toString();
    }

    private String call(String what, Supplier<String> request) {
        try {
            return request.get();
        } catch (ApiCallException e) {
            if (e.status() == 0) {
                throw new CommandFailure(e.getMessage(), e);
            }
            String refused = "the orchestrator at " + api.base() + " refused the " + what;
            if (e.problems().size() > 1) {
                throw CommandFailure.listing(refused + " (" + e.status() + " " + e.code() + ")", e.problems(), e);
            }
            throw new CommandFailure(refused + ": " + e.describe(), e);
        }
    }

    @Override
    public void close() {
        // java.net.http needs no closing here
    }
}
