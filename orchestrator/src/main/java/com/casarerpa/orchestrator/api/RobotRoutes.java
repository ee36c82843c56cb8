package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.HeldJob;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.domain.RobotFilter;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.service.Csv;
import com.casarerpa.orchestrator.service.FolderAccess;
import com.casarerpa.orchestrator.service.RobotActivity;
import com.casarerpa.orchestrator.service.RobotFolders;
import com.casarerpa.orchestrator.service.Robots;
import com.casarerpa.protocol.rest.RobotBodies;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /api/v1/robots}: the fleet for people (list, show, maintenance, delete, folders) and the
 * robot side of the REST protocol of existing agents (register, status, heartbeat, metrics). People
 * see the robots that serve a folder where they may read robots ({@link RobotFolders}).
 */
public final class RobotRoutes implements RouteGroup {
    private static final long MAX_BODY = 64 * 1024;
    private static final String BASE = "/api/v1/robots";
    /** The sizes of the robots table's columns, which the service does not check (the robot channel does the same). */
    private static final int MAX_HOSTNAME_CHARS = 255;
    private static final int MAX_SHORT_CHARS = 100;
    private static final int DEFAULT_SAMPLE_MINUTES = 60;

    private final Robots robots;
    private final RobotFolders folders;
    private final FolderAccess folderAccess;
    private final RobotActivity activity;
    private final Clock clock;
    private final Duration heartbeatTimeout;

    /**
     * @param activity         the jobs robots hold and their samples, for people's views of robots
     * @param heartbeatTimeout {@code robots.heartbeat_timeout_seconds}: when a silent robot goes offline
     */
    public RobotRoutes(Robots robots, RobotFolders folders, FolderAccess folderAccess,
            RobotActivity activity, Clock clock, Duration heartbeatTimeout) {
        this.folderAccess = folderAccess;
        this.robots = robots;
        this.folders = folders;
        this.activity = activity;
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE, this::list, Access.to(Permission.ROBOT_READ));
        routes.get(BASE + "/{id}", ctx -> {
            FolderTree tree = folders.tree();
            ctx.json(view(folders.requireVisible(robots.get(ctx.pathParam("id")), Callers.of(ctx), tree), tree));
        }, Access.to(Permission.ROBOT_READ));
        routes.get(BASE + "/{id}/samples", ctx -> {
            Robot r = folders.requireVisible(robots.get(ctx.pathParam("id")), Callers.of(ctx), folders.tree());
            int minutes = RequestBodies.positiveInt(ctx, "minutes").orElse(DEFAULT_SAMPLE_MINUTES);
            ctx.json(Map.of("robot_id", r.id(), "items", activity.samples(r.id(), minutes).stream().map(RobotViews::sample).toList()));
        }, Access.to(Permission.ROBOT_READ));
        routes.get(BASE + "/{id}/folders", ctx -> {
            Robot r = robots.get(ctx.pathParam("id"));
            folders.requireOn(r, Permission.ROBOT_MANAGE, Callers.of(ctx));
            ctx.json(new RobotBodies.RobotFolders(r.id(), RobotViews.folders(r, folders.tree())));
        }, Access.to(Permission.ROBOT_MANAGE));
        routes.put(BASE + "/{id}/folders", ctx -> {
            JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a robot's folders", "folders");
            List<String> named = RequestBodies.optionalStrings(body, "folders").orElseThrow(() ->
                    ApiError.invalidField("folders", "is required: the folders (ids or paths such as Default/Finance) the robot serves"));
            Robot r = robots.get(ctx.pathParam("id"));
            folders.requireOn(r, Permission.ROBOT_MANAGE, Callers.of(ctx));
            Robot assigned = folders.assign(r, named, Callers.of(ctx));
            ctx.json(new RobotBodies.RobotFolders(assigned.id(), RobotViews.folders(assigned, folders.tree())));
        }, Access.to(Permission.ROBOT_MANAGE));
        routes.post(BASE + "/{id}/maintenance", ctx -> {
            JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "maintenance", "enabled");
            JsonNode enabled = body.get("enabled");
            if (enabled == null || !enabled.isBoolean()) {
                throw ApiError.invalidField("enabled", "must be true or false");
            }
            folders.requireOn(robots.get(ctx.pathParam("id")), Permission.ROBOT_MAINTAIN, Callers.of(ctx));
            Robot r = robots.setMaintenance(ctx.pathParam("id"), enabled.asBoolean(), Callers.of(ctx));
            ctx.json(view(r, folders.tree()));
        }, Access.to(Permission.ROBOT_MAINTAIN));
        routes.delete(BASE + "/{id}", ctx -> {
            folders.requireOn(robots.get(ctx.pathParam("id")), Permission.ROBOT_MANAGE, Callers.of(ctx));
            robots.delete(ctx.pathParam("id"), Callers.of(ctx));
            ctx.status(204);
        }, Access.to(Permission.ROBOT_MANAGE));

        routes.post(BASE + "/register", this::registerRobot, Access.ROBOT);
        routes.put(BASE + "/{id}/status", ctx -> {
            String status = RequestBodies.requiredString(RequestBodies.object(ctx, MAX_BODY), "status");
            robots.reportStatus(ctx.pathParam("id"), status, Callers.of(ctx));
            ctx.json(Map.of("robot_id", ctx.pathParam("id"), "status", status));
        }, Access.ROBOT);
        routes.post(BASE + "/{id}/heartbeat", ctx -> {
            JsonNode body = RequestBodies.objectOrEmpty(ctx, MAX_BODY);
            robots.heartbeat(ctx.pathParam("id"), new Robot.Metrics(number(body, "cpu_percent", 100),
                    number(body, "memory_percent", 100), number(body, "memory_mb", Double.MAX_VALUE),
                    number(body, "current_job_count", 1000).map(Double::intValue)), Callers.of(ctx));
            ctx.json(RobotViews.heartbeatAck(clock.instant()));
        }, Access.ROBOT);
        routes.get("/api/v1/metrics/robots/{id}", ctx -> {
            Robot r = robots.actingAs(ctx.pathParam("id"), Callers.of(ctx));
            ctx.json(RobotViews.metrics(r, robots.currentJobs(r.id())));
        }, Access.ROBOT);
    }

    /**
     * A page of the robots the caller may see, by id ({@code limit}, {@code cursor} and the filters
     * of {@link RobotFilterParams}), or every one of them as CSV, read a page at a time.
     */
    private void list(Context ctx) {
        FolderTree tree = folders.tree();
        // ?folder=: only the robots that serve that folder (as the overview counts them).
        Optional<Folder> only = WorkflowRoutes.folderParam(ctx).map(f -> folderAccess.resolve(Callers.of(ctx), f, "folder"));
        RobotFilter filter = folders.visible(RobotFilterParams.fromQuery(ctx), only, Callers.of(ctx), tree);
        Function<PageRequest, Page<RobotBodies.Robot>> read = request -> {
            Page<Robot> page = robots.list(filter, request);
            Map<String, List<HeldJob>> held = activity.heldJobs(page.items().stream().map(Robot::id).toList());
            return page.map(r -> RobotViews.robot(r, held.getOrDefault(r.id(), List.of()), tree, heartbeatTimeout));
        };
        if (CsvAnswer.wanted(ctx)) {
            CsvAnswer.sendPages(ctx, "robots", CSV_COLUMNS, read, RobotRoutes::csvRow);
            return;
        }
        ctx.json(read.apply(Paging.from(ctx)));
    }

    private void registerRobot(Context ctx) {
        JsonNode body = RequestBodies.object(ctx, MAX_BODY);
        String id = RequestBodies.optionalString(body, "robot_id")
                .or(() -> Callers.of(ctx).robotId())
                .orElseThrow(() -> ApiError.invalidField("robot_id", "is required"));
        int slots = body.hasNonNull("max_concurrent_jobs") ? body.get("max_concurrent_jobs").asInt(0) : 1;
        Robot robot = robots.register(new Robot.Registration(id, RequestBodies.optionalString(body, "name").orElse(id),
                RequestBodies.optionalString(body, "hostname", MAX_HOSTNAME_CHARS),
                RequestBodies.optionalStrings(body, "capabilities").orElse(List.of()),
                RequestBodies.optionalStrings(body, "tags").orElse(List.of()),
                RequestBodies.optionalString(body, "environment", MAX_SHORT_CHARS), slots,
                RequestBodies.optionalString(body, "agent_version", MAX_SHORT_CHARS), "rest"), Callers.of(ctx));
        ctx.json(view(robot, folders.tree()));
    }

    private RobotBodies.Robot view(Robot r, FolderTree tree) {
        return RobotViews.robot(r, activity.heldJobs(r.id()), tree, heartbeatTimeout);
    }

    /** A number from 0 to {@code max} (percentages to 100, as on the robot channel); empty when absent or null. */
    private static Optional<Double> number(JsonNode body, String field, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= max)) {
            throw ApiError.invalidField(field, (max == Double.MAX_VALUE ? "must be a number of at least 0"
                    : "must be a number from 0 to " + (long) max) + ", got " + v);
        }
        return Optional.of(v.asDouble());
    }

    /** The columns of {@code GET /api/v1/robots?format=csv}. */
    static final List<String> CSV_COLUMNS = List.of("id", "name", "hostname", "status", "maintenance", "slots_used", "slots_total",
            "current_jobs", "last_heartbeat", "cpu_percent", "memory_percent", "memory_mb", "protocol", "agent_version", "instance",
            "connection", "offline_at", "folders", "capabilities", "tags");

    private static List<String> csvRow(RobotBodies.Robot r) {
        return java.util.Arrays.asList(r.id(), r.name(), r.hostname(), r.status(), String.valueOf(r.maintenance()),
                String.valueOf(r.slotsUsed()), String.valueOf(r.slotsTotal()), String.join(", ", r.currentJobs()),
                Csv.text(r.lastHeartbeat()), Csv.text(r.cpuPercent()), Csv.text(r.memoryPercent()),
                Csv.text(r.memoryMb()), r.protocol(), r.agentVersion(), r.instance(),
                r.connection(), Csv.text(r.offlineAt()), String.join(", ", r.folders().stream().map(RobotBodies.FolderRef::path).toList()), String.join(", ", r.capabilities()),
                String.join(", ", r.tags()));
    }
}
