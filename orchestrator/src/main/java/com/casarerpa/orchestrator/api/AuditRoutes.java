package com.casarerpa.orchestrator.api;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.AuditFilter;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.service.AuditLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/audit}: the audit trail, newest first: all of it for admins, the events of
 * their folders for folder admins ({@link AuditLog}). Filters {@code actor} (an actor id such as a
 * key id), {@code action}, {@code target_type} and {@code target_id} (the resource changed),
 * {@code since}, {@code until}, {@code folder}; pages of {@code limit} (default 50, at most 500)
 * continued with {@code cursor}.
 */
public final class AuditRoutes implements RouteGroup {
    /** A resource type as the trail writes it ({@code workflow}, {@code api_key}, …); the column holds 50 characters. */
    private static final Pattern TARGET_TYPE = Pattern.compile("[a-z][a-z_]{0,49}");
    /** The size of the {@code target_id} column: a longer id names nothing. */
    private static final int MAX_TARGET_ID = 200;

    private final AuditLog audit;

    public AuditRoutes(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/audit", this::list, Access.to(Permission.AUDIT_READ));
    }

    private void list(Context ctx) {
        AuditFilter filter = new AuditFilter(
                Optional.ofNullable(ctx.queryParam("actor")), Optional.ofNullable(ctx.queryParam("action")), targetType(ctx),
                targetId(ctx), RequestBodies.instantParam(ctx, "since"), RequestBodies.instantParam(ctx, "until"), Optional.empty());
        if (CsvAnswer.wanted(ctx)) {
            // Every event of the filter, newest first.
            Optional<String> folder = WorkflowRoutes.folderParam(ctx);
            CsvAnswer.sendPages(ctx, "audit", COLUMNS, page -> audit.list(filter, folder, page, Callers.of(ctx)), AuditRoutes::row);
            return;
        }
        PageRequest page = Paging.from(ctx);
        if (page.after().isPresent() && !page.after().get().getFirst().matches("\\d{1,19}")) {
            throw ApiError.invalidField("cursor", "not a cursor of this listing; pass next_cursor back unchanged");
        }
        ctx.json(audit.list(filter, WorkflowRoutes.folderParam(ctx), page, Callers.of(ctx)));
    }

    private static Optional<String> targetType(Context ctx) {
        Optional<String> type = RequestBodies.textParam(ctx, "target_type");
        if (type.isPresent() && !TARGET_TYPE.matcher(type.get()).matches()) {
            throw ApiError.invalidField("target_type", "must be a resource type as events name it: lower-case letters and"
                    + " underscores, at most 50 (workflow, job, schedule, webhook, robot, folder, user, api_key, …), got \""
                    + type.get() + "\"");
        }
        return type;
    }

    private static Optional<String> targetId(Context ctx) {
        Optional<String> id = RequestBodies.textParam(ctx, "target_id");
        if (id.isPresent() && id.get().length() > MAX_TARGET_ID) {
            throw ApiError.invalidField("target_id", "must be the id of a resource, at most " + MAX_TARGET_ID + " characters, got "
                    + id.get().length());
        }
        return id;
    }

    /** The columns of the CSV export. */
    static final List<String> COLUMNS = List.of("occurred_at", "actor_kind", "actor_id", "actor_name", "action", "target_type",
            "target_id", "folder_path", "client_address", "request_id", "details");

    private static List<String> row(AuditLog.Entry e) {
        return java.util.Arrays.asList(String.valueOf(e.occurredAt()), e.actorKind(), e.actorId(), e.actorName(), e.action(),
                e.targetType(), e.targetId(), e.folder() == null ? null : e.folder().path(), e.clientAddress(), e.requestId(),
                Json.mapper().valueToTree(e.details()).toString());
    }
}
