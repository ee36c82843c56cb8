package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.http.ApiCallException;
import com.casarerpa.common.http.ApiClient;
import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.app.Services;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.service.NotFoundException;
import com.casarerpa.orchestrator.service.Schedules;
import com.casarerpa.orchestrator.service.TriggerViews;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.StoreException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the {@code schedules} commands send their work: the configured database (as the local
 * CLI actor) or a running server ({@code --url}). Both answer with the REST API's JSON.
 */
abstract class ScheduleGateway implements AutoCloseable {
    /** {@code {"items":[…]}} */
    abstract JsonNode list();

    /** The schedule after the change. */
    abstract JsonNode setEnabled(String idOrName, boolean enabled);

    abstract void delete(String idOrName);

    @Override
    public abstract void close();

    static ScheduleGateway open(CliContext ctx, ConfigOptions config, RemoteOptions remote) {
        Optional<ApiClient> api = remote.client(ctx);
        return api.isPresent() ? new Remote(api.get()) : Local.open(ctx, config);
    }

    private static final class Remote extends ScheduleGateway {
        private final ApiClient api;

        Remote(ApiClient api) {
            this.api = api;
        }

        @Override
        JsonNode list() {
            return call(() -> api.get("/api/v1/schedules"));
        }

        @Override
        JsonNode setEnabled(String idOrName, boolean enabled) {
            return call(() -> api.post("/api/v1/schedules/" + ApiClient.encode(idOrName) + (enabled ? "/enable" : "/disable"), "{}"));
        }

        @Override
        void delete(String idOrName) {
            call(() -> {
                api.delete("/api/v1/schedules/" + ApiClient.encode(idOrName));
                return "{}";
            });
        }

        private JsonNode call(Supplier<String> request) {
            try {
                return WorkflowJson.parse(request.get());
            } catch (ApiCallException e) {
                throw new CommandFailure(e.status() == 0 ? e.getMessage()
                        : "the orchestrator at " + api.base() + " refused: " + e.describe(), e);
            }
        }

        @Override
        public void close() {
            // nothing to close
        }
    }

    private static final class Local extends ScheduleGateway {
        private final Database db;
        private final Schedules schedules;
        private final Actor actor = Actor.localCli();

        private Local(Database db, Schedules schedules) {
            this.db = db;
            this.schedules = schedules;
        }

        static Local open(CliContext ctx, ConfigOptions config) {
            OrchestratorSettings settings = config.loadForCommand(ctx).settings();
            Database db = DatabaseCommands.openCurrent(settings);
            return new Local(db, Services.forCommand(db, settings).schedules());
        }

        @Override
        JsonNode list() {
            return call(() -> Map.of("items", schedules.list(Optional.empty(), Optional.empty(), actor).stream()
                    .map(s -> TriggerViews.schedule(s, List.of(), schedules.folderTree())).toList()));
        }

        @Override
        JsonNode setEnabled(String idOrName, boolean enabled) {
            return call(() -> view(schedules.setEnabled(schedules.get(idOrName, actor).id(), enabled, actor)));
        }

        @Override
        void delete(String idOrName) {
            call(() -> {
                schedules.delete(schedules.get(idOrName, actor).id(), actor);
                return Map.of();
            });
        }

        /** As the API answers about one schedule: with its next fire times while it is enabled. */
        private Object view(Schedule s) {
            return TriggerViews.schedule(s, schedules.upcoming(s, Schedules.SHOWN_FIRES), schedules.folderTree());
        }

        private static JsonNode call(Supplier<Object> work) {
            try {
                return WorkflowJson.parse(Json.mapper().writeValueAsString(work.get()));
            } catch (NotFoundException e) {
                throw new CommandFailure(e.getMessage(), e);
            } catch (InvalidInputException e) {
                throw new CommandFailure(e.field() + ": " + e.getMessage(), e);
            } catch (StoreException e) {
                throw DatabaseCommands.failure(e);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON", e);
            }
        }

        @Override
        public void close() {
            db.close();
        }
    }
}
