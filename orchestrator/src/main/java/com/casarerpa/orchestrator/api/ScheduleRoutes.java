package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.service.Csv;
import com.casarerpa.orchestrator.service.FolderAccess;
import com.casarerpa.orchestrator.service.ScheduleSpecReader;
import com.casarerpa.orchestrator.service.Schedules;
import com.casarerpa.orchestrator.service.TriggerViews;
import com.casarerpa.protocol.rest.TriggerBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/schedules}: cron triggers of workflows. Create, list, read (with the next fire
 * times), change, enable, disable, delete, trigger now, history (with lag), and a preview of any
 * expression. Documented in docs/schedules.md. {@code {id}} is a schedule id or name.
 */
public final class ScheduleRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/schedules";
    private static final int DEFAULT_PREVIEW = Schedules.SHOWN_FIRES;

    private final Schedules schedules;

    public ScheduleRoutes(Schedules schedules) {
        this.schedules = schedules;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE + "/preview", this::previewExpression, Access.to(Permission.SCHEDULE_READ));
        routes.post(BASE, this::create, Access.to(Permission.SCHEDULE_CHANGE));
        routes.get(BASE, this::list, Access.to(Permission.SCHEDULE_READ));
        routes.get(BASE + "/{id}", this::get, Access.to(Permission.SCHEDULE_READ));
        routes.patch(BASE + "/{id}", this::update, Access.to(Permission.SCHEDULE_CHANGE));
        routes.delete(BASE + "/{id}", this::delete, Access.to(Permission.SCHEDULE_CHANGE));
        routes.post(BASE + "/{id}/enable", ctx -> enable(ctx, true), Access.to(Permission.SCHEDULE_CHANGE));
        routes.post(BASE + "/{id}/disable", ctx -> enable(ctx, false), Access.to(Permission.SCHEDULE_CHANGE));
        routes.post(BASE + "/{id}/trigger", this::trigger, Access.to(Permission.SCHEDULE_CHANGE));
        routes.get(BASE + "/{id}/next", this::next, Access.to(Permission.SCHEDULE_READ));
        routes.get(BASE + "/{id}/history", this::history, Access.to(Permission.SCHEDULE_READ));
    }

    private void create(Context ctx) {
        Schedule s = schedules.create(ScheduleSpecReader.read(RequestBodies.object(ctx, 1024 * 1024), "", Set.of()),
                Callers.of(ctx));
        ctx.header("Location", BASE + "/" + s.id());
        ctx.status(201).json(view(s));
    }

    private void list(Context ctx) {
        boolean csv = CsvAnswer.wanted(ctx);
        Optional<String> workflow = Optional.ofNullable(ctx.queryParam("workflow_id")).filter(w -> !w.isBlank());
        List<Schedule> found = schedules.list(workflow, WorkflowRoutes.folderParam(ctx), Callers.of(ctx));
        FolderTree tree = schedules.folderTree();
        if (csv) {
            CsvAnswer.send(ctx, "schedules", CSV_COLUMNS, found, s -> csvRow(s, tree));
            return;
        }
        ctx.json(Map.of("items", found.stream().map(s -> TriggerViews.schedule(s, List.of(), tree)).toList()));
    }

    /**
     * The columns of {@code GET /api/v1/schedules?format=csv}: fire times in UTC ({@code _utc}) and
     * the next one also as the schedule's zone reads it, with its offset ({@code next_fire_at_local}).
     */
    static final List<String> CSV_COLUMNS = List.of("id", "name", "workflow_id", "folder_path", "cron", "timezone", "enabled",
            "next_fire_at_utc", "next_fire_at_local", "last_fire_at_utc", "last_job_id", "misfire_policy", "misfire_limit",
            "overlap_policy", "created_at", "updated_at", "created_by");

    private static List<String> csvRow(Schedule s, FolderTree tree) {
        return java.util.Arrays.asList(s.id(), s.name(), s.workflowId(), FolderAccess.ref(tree, s.folderId()).path(), s.cron().text(),
                s.timezone().getId(), String.valueOf(s.enabled()), Csv.text(s.nextFireAt().orElse(null)),
                s.nextFireAt().map(t -> TriggerViews.local(t, s.timezone())).orElse(null), Csv.text(s.lastFireAt().orElse(null)),
                s.lastJobId().orElse(null), s.misfirePolicy().wireName(), String.valueOf(s.misfireLimit()),
                s.overlapPolicy().wireName(), Csv.text(s.createdAt()), Csv.text(s.updatedAt()), s.createdBy());
    }

    private void get(Context ctx) {
        ctx.json(view(schedules.get(ctx.pathParam("id"), Callers.of(ctx))));
    }

    private void update(Context ctx) {
        ctx.json(view(schedules.update(ctx.pathParam("id"),
                ScheduleSpecReader.read(RequestBodies.object(ctx, 1024 * 1024), "", Set.of()), Callers.of(ctx))));
    }

    private void delete(Context ctx) {
        schedules.delete(ctx.pathParam("id"), Callers.of(ctx));
        ctx.status(204);
    }

    private void enable(Context ctx, boolean enabled) {
        ctx.json(view(schedules.setEnabled(ctx.pathParam("id"), enabled, Callers.of(ctx))));
    }

    private void trigger(Context ctx) {
        ctx.status(201).json(TriggerViews.fired(schedules.triggerNow(ctx.pathParam("id"), Callers.of(ctx))));
    }

    private void next(Context ctx) {
        Schedule s = schedules.get(ctx.pathParam("id"), Callers.of(ctx));
        int count = RequestBodies.positiveInt(ctx, "count").orElse(DEFAULT_PREVIEW);
        ctx.json(Map.of("schedule_id", s.id(), "timezone", s.timezone().getId(), "items",
                schedules.preview(s.id(), count, Callers.of(ctx)).stream().map(t -> TriggerViews.time(t, s.timezone())).toList()));
    }

    private void history(Context ctx) {
        int limit = RequestBodies.positiveInt(ctx, "limit").orElse(50);
        if (limit > 500) {
            throw ApiError.invalidField("limit", "must be at most 500, got " + limit);
        }
        ctx.json(Map.of("items", schedules.history(ctx.pathParam("id"), limit, Callers.of(ctx)).stream().map(TriggerViews::fire)
                .toList()));
    }

    private void previewExpression(Context ctx) {
        String cron = Optional.ofNullable(ctx.queryParam("cron")).orElseThrow(() -> ApiError.invalidField("cron",
                "is required, e.g. ?cron=0+9+*+*+1-5"));
        Optional<String> zone = Optional.ofNullable(ctx.queryParam("timezone")).filter(z -> !z.isBlank());
        int count = RequestBodies.positiveInt(ctx, "count").orElse(DEFAULT_PREVIEW);
        var times = schedules.preview(cron, zone, count);
        var z = zone.map(Schedules::zone).orElse(schedules.defaultZone());
        ctx.json(Map.of("cron", cron, "timezone", z.getId(), "items", times.stream().map(t -> TriggerViews.time(t, z)).toList()));
    }

    private TriggerBodies.Schedule view(Schedule s) {
        return TriggerViews.schedule(s, schedules.upcoming(s, Schedules.SHOWN_FIRES), schedules.folderTree());
    }
}
