package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.Webhook;
import com.casarerpa.orchestrator.domain.WebhookAuth;
import com.casarerpa.orchestrator.workflow.JobOptionsJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Webhook triggers as rows. Deliveries are not stored here: a delivery's job carries the
 * idempotency key {@code webhook:<id>:<delivery id>}, so the job queue's own unique key makes a
 * repeated delivery start one job. A taken name is a {@link UniqueViolationException}.
 */
public final class WebhookStore {
    private static final String COLUMNS = "id, name, workflow_id, auth_mode, secret, variables_path, job_options, enabled,"
            + " created_at, created_by, folder_id";

    private final Jdbi jdbi;

    public WebhookStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(Webhook w) {
        Jdbi3.run("webhooks", () -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO webhooks (" + COLUMNS + ") VALUES (:id,"
                        + " :name, :workflow, :auth, :secret, :path, :options, :enabled, :created, :createdBy, :folder)")
                .bind("id", w.id())
                .bind("name", w.name())
                .bind("workflow", w.workflowId())
                .bind("auth", w.authMode().wireName())
                .bind("secret", w.secret())
                .bind("path", w.variablesPath())
                .bind("options", JobOptionsJson.toJson(w.jobOptions()))
                .bind("enabled", w.enabled())
                .bind("created", Jdbi3.ts(w.createdAt()))
                .bind("createdBy", w.createdBy())
                .bind("folder", w.folderId())
                .execute()));
    }

    public Optional<Webhook> find(String id) {
        return Jdbi3.call("webhooks", () -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM webhooks WHERE id = :id OR name = :id ORDER BY CASE WHEN id = :id THEN 0 ELSE 1 END")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findFirst()));
    }

    /** Every webhook (of one workflow when given; in one of {@code folders} when given), by name. */
    public List<Webhook> list(Optional<String> workflowId, Optional<Set<String>> folders) {
        if (folders.isPresent() && folders.get().isEmpty()) {
            return List.of();
        }
        return Jdbi3.call("webhooks", () -> jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE workflow_id = COALESCE(:workflow, workflow_id)"
                            + (folders.isPresent() ? " AND folder_id IN (<folders>)" : "") + " ORDER BY name")
                    .bind("workflow", workflowId.orElse(null));
            folders.ifPresent(f -> q.bindList("folders", f.stream().sorted().toList()));
            return q.map((rs, ctx) -> map(rs)).list();
        }));
    }

    public boolean setEnabled(String id, boolean enabled) {
        return Jdbi3.call("webhooks", () -> jdbi.withHandle(h -> h.createUpdate("UPDATE webhooks SET enabled = :e WHERE id = :id")
                .bind("e", enabled)
                .bind("id", id)
                .execute() == 1));
    }

    public boolean delete(String id) {
        return Jdbi3.call("webhooks", () -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM webhooks WHERE id = :id")
                .bind("id", id)
                .execute() == 1));
    }

    public int countForWorkflow(String workflowId) {
        return Jdbi3.call("webhooks", () -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhooks WHERE workflow_id = :w")
                .bind("w", workflowId)
                .mapTo(Integer.class)
                .one()));
    }

    private static Webhook map(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString("id"), rs.getString("name"), rs.getString("workflow_id"),
                WebhookAuth.fromWire(rs.getString("auth_mode")).orElseThrow(), rs.getString("secret"),
                rs.getString("variables_path"), JobOptionsJson.fromJson(rs.getString("job_options")), rs.getBoolean("enabled"),
                Jdbi3.instant(rs.getObject("created_at")).orElseThrow(), rs.getString("created_by"), rs.getString("folder_id"));
    }
}
