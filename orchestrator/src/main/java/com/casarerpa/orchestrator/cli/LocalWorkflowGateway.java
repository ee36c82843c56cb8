package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.app.Services;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.service.ConflictException;
import com.casarerpa.orchestrator.service.DeployRequest;
import com.casarerpa.orchestrator.service.Deployment;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.service.NotFoundException;
import com.casarerpa.orchestrator.service.ScheduleSpec;
import com.casarerpa.orchestrator.service.Schedules;
import com.casarerpa.orchestrator.service.TriggerViews;
import com.casarerpa.orchestrator.service.WorkflowViews;
import com.casarerpa.orchestrator.service.Workflows;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.StoreException;
import com.casarerpa.protocol.rest.WorkflowBodies;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The workflow commands on the configured database, as {@link Actor#localCli()}; the embedded
 * database works while a server runs (H2 AUTO_SERVER). The schema must be current.
 */
final class LocalWorkflowGateway implements WorkflowGateway {
    private final Database database;
    private final Workflows workflows;
    private final Schedules schedules;
    private final Actor actor = Actor.localCli();

    private LocalWorkflowGateway(Database database, Workflows workflows, Schedules schedules) {
        this.database = database;
        this.workflows = workflows;
        this.schedules = schedules;
    }

    static LocalWorkflowGateway open(CliContext ctx, ConfigOptions config) {
        OrchestratorSettings settings = config.loadForCommand(ctx).settings();
        Database db = DatabaseCommands.openCurrent(settings);
        Services services = Services.forCommand(db, settings);
        return new LocalWorkflowGateway(db, services.workflows(), services.schedules());
    }

    @Override
    public String deploy(DeployRequest request, Optional<ScheduleSpec> trigger) {
        return call(() -> {
            if (trigger.isPresent()) {
                schedules.checkTrigger(trigger.get(), request.name().strip(),
                        workflows.service().deployFolder(request.name(), request.folder(), actor), actor);
            }
            Deployment d = workflows.service().deploy(request, actor);
            FolderTree tree = workflows.service().folderTree();
            WorkflowBodies.Deployment answer = WorkflowViews.deployment(d, tree);
            if (trigger.isPresent()) {
                Schedule s = schedules.applyTrigger(trigger.get(), d.workflow().id(), d.workflow().name(), actor);
                answer = answer.withSchedule(TriggerViews.schedule(s, schedules.upcoming(s, Schedules.DEPLOY_FIRES), tree));
            }
            return json(answer);
        });
    }

    @Override
    public String exportAll(boolean includeSecrets) {
        return call(() -> json(workflows.transfer().exportAll(actor, includeSecrets)));
    }

    @Override
    public String exportOne(String idOrName, Optional<Integer> version, boolean includeSecrets) {
        return call(() -> json(workflows.transfer().exportOne(idOrName, version, actor, includeSecrets)));
    }

    @Override
    public String importDocument(String documentJson) {
        return call(() -> json(workflows.transfer().importDocument(WorkflowJson.parse(documentJson), actor)));
    }

    @Override
    public String target() {
        return database.displayUrl();
    }

    private static String call(Supplier<String> work) {
        try {
            return work.get();
        } catch (InvalidWorkflowException e) {
            throw CommandFailure.listing("invalid workflow", e.descriptions(), e);
        } catch (NotFoundException | ConflictException e) {
            throw new CommandFailure(e.getMessage(), e);
        } catch (InvalidInputException e) {
            throw new CommandFailure(e.field().isEmpty() ? e.getMessage() : e.field() + ": " + e.getMessage(), e);
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }

    /** The wire JSON (snake_case; exact numbers, since definitions are written as they were read). */
    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
