package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.domain.WorkflowJson;
import com.casarerpa.orchestrator.service.ConflictException;
import com.casarerpa.orchestrator.service.DeployRequest;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.service.NotFoundException;
import com.casarerpa.orchestrator.service.WorkflowViews;
import com.casarerpa.orchestrator.service.Workflows;
import com.casarerpa.orchestrator.store.AuditStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.StoreException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * The workflow commands on the configured database, as {@link Actor#localCli()}; the embedded
 * database works while a server runs (H2 AUTO_SERVER). The schema must be current.
 */
final class LocalWorkflowGateway implements WorkflowGateway {
    private final Database database;
    private final Workflows workflows;
    private final Actor actor = Actor.localCli();

    private LocalWorkflowGateway(Database database, Workflows workflows) {
        this.database = database;
        this.workflows = workflows;
    }

    static LocalWorkflowGateway open(CliContext ctx, ConfigOptions config) {
        Database db = DatabaseCommands.open(DatabaseCommands.url(ctx, config));
        try {
            new Migrations(db).requireCurrent();
        } catch (StoreException e) {
            db.close();
            throw DatabaseCommands.failure(e);
        }
        Clock clock = Clock.systemUTC();
        Jdbi jdbi = Jdbi3.of(db);
        return new LocalWorkflowGateway(db, Workflows.on(jdbi, new AuditStore(jdbi, clock), List.of(), clock));
    }

    @Override
    public String deploy(DeployRequest request) {
        return call(() -> json(WorkflowViews.deployment(workflows.service().deploy(request, actor))));
    }

    @Override
    public String exportAll() {
        return call(() -> json(workflows.transfer().exportAll()));
    }

    @Override
    public String exportOne(String idOrName, Optional<Integer> version) {
        return call(() -> json(workflows.transfer().exportOne(idOrName, version)));
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
        } catch (InvalidWorkflowException | NotFoundException | ConflictException e) {
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
