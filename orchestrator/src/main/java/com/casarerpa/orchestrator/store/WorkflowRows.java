package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.workflow.WorkflowDefinition;
import com.casarerpa.orchestrator.domain.WorkflowFilter;
import com.casarerpa.orchestrator.workflow.WorkflowVersion;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The SQL of the {@code workflows} and {@code workflow_versions} tables, on the handle of a
 * transaction that {@link WorkflowStore} opened; the store wraps what fails.
 */
public final class WorkflowRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String WORKFLOW_COLUMNS =
            "id, name, description, tags, latest_version, created_at, updated_at, created_by, folder_id";
    private static final String VERSION_COLUMNS =
            "workflow_id, version, checksum, size_bytes, node_count, created_at, created_by";

    private final Handle h;

    WorkflowRows(Handle h) {
        this.h = h;
    }

    /** The workflow with this id, else the one with this name; {@code forUpdate} locks its row. */
    public Optional<Workflow> find(String idOrName, boolean forUpdate) {
        Optional<Workflow> byId = findBy("id", idOrName, forUpdate);
        return byId.isPresent() ? byId : findBy("name", idOrName, forUpdate);
    }

    public Optional<Workflow> findById(String id, boolean forUpdate) {
        return findBy("id", id, forUpdate);
    }

    public Optional<Workflow> findByName(String name, boolean forUpdate) {
        return findBy("name", name, forUpdate);
    }

    private Optional<Workflow> findBy(String column, String value, boolean forUpdate) {
        return h.createQuery("SELECT " + WORKFLOW_COLUMNS + " FROM workflows WHERE " + column + " = :value"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .bind("value", value)
                .map(WorkflowRows::workflowRow)
                .findOne();
    }

    public void insert(Workflow w) {
        h.createUpdate("INSERT INTO workflows (" + WORKFLOW_COLUMNS + ") VALUES (:id, :name, :description, :tags,"
                        + " :latest, :created, :updated, :by, :folder)")
                .bind("id", w.id())
                .bind("name", w.name())
                .bind("description", w.description())
                .bind("tags", tagsJson(w.tags()))
                .bind("latest", w.latestVersion())
                .bind("created", ts(w.createdAt()))
                .bind("updated", ts(w.updatedAt()))
                .bind("by", w.createdBy())
                .bind("folder", w.folderId())
                .execute();
    }

    public void insert(WorkflowVersion v) {
        WorkflowDefinition d = v.definition();
        h.createUpdate("INSERT INTO workflow_versions (" + VERSION_COLUMNS + ", definition) VALUES (:workflow, :version,"
                        + " :checksum, :size, :nodes, :created, :by, :definition)")
                .bind("workflow", v.workflowId())
                .bind("version", v.version())
                .bind("checksum", d.checksum())
                .bind("size", d.sizeBytes())
                .bind("nodes", d.nodeCount())
                .bind("created", ts(v.createdAt()))
                .bind("by", v.createdBy())
                .bind("definition", d.text())
                .execute();
        if (!d.nodeTypes().isEmpty()) {
            var batch = h.prepareBatch("INSERT INTO workflow_node_types (workflow_id, version, node_type) VALUES (:w, :v, :t)");
            d.nodeTypes().forEach(t -> batch.bind("w", v.workflowId()).bind("v", v.version()).bind("t", t).add());
            batch.execute();
        }
    }

    /** Writes the mutable columns of {@code w}: description, tags, latest version, updated_at. */
    public void update(Workflow w) {
        h.createUpdate("UPDATE workflows SET description = :description, tags = :tags, latest_version = :latest,"
                        + " updated_at = :updated WHERE id = :id")
                .bind("description", w.description())
                .bind("tags", tagsJson(w.tags()))
                .bind("latest", w.latestVersion())
                .bind("updated", ts(w.updatedAt()))
                .bind("id", w.id())
                .execute();
    }

    /**
     * Moves a workflow to another folder with its schedules and webhooks (they live in their
     * workflow's folder); its jobs stay in the folder they were submitted in.
     */
    public void move(String id, String folderId) {
        for (String table : List.of("schedules", "webhooks")) {
            h.createUpdate("UPDATE " + table + " SET folder_id = :folder WHERE workflow_id = :id")
                    .bind("folder", folderId).bind("id", id).execute();
        }
        h.createUpdate("UPDATE workflows SET folder_id = :folder WHERE id = :id").bind("folder", folderId).bind("id", id).execute();
    }

    /** How many schedules and webhooks start a workflow. */
    public record Triggers(int schedules, int webhooks) {}

    public Triggers triggers(String id) {
        return new Triggers(count("schedules", id), count("webhooks", id));
    }

    private int count(String table, String workflowId) {
        return h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE workflow_id = :id").bind("id", workflowId)
                .mapTo(Integer.class).one();
    }

    /** Deletes the workflow and (by the foreign key's cascade) its versions. */
    public void delete(String id) {
        h.createUpdate("DELETE FROM workflows WHERE id = :id").bind("id", id).execute();
    }

    public Optional<WorkflowVersion> version(String workflowId, int version) {
        return h.createQuery("SELECT " + VERSION_COLUMNS + ", definition FROM workflow_versions"
                        + " WHERE workflow_id = :workflow AND version = :version")
                .bind("workflow", workflowId)
                .bind("version", version)
                .map(WorkflowRows::versionRow)
                .findOne();
    }

    /** Every version with its definition, oldest first. */
    public List<WorkflowVersion> versions(String workflowId) {
        return h.createQuery("SELECT " + VERSION_COLUMNS + ", definition FROM workflow_versions"
                        + " WHERE workflow_id = :workflow ORDER BY version")
                .bind("workflow", workflowId)
                .map(WorkflowRows::versionRow)
                .list();
    }

    /** Workflows ordered by name, filtered, one page (reads {@code limit + 1} rows). */
    public Page<Workflow> list(WorkflowFilter filter, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT " + WORKFLOW_COLUMNS + " FROM workflows WHERE 1 = 1");
        filter.nameContains().ifPresent(q -> sql.append(" AND LOWER(name) LIKE :name ESCAPE '!'"));
        filter.tag().ifPresent(tag -> sql.append(" AND tags LIKE :tag ESCAPE '!'"));
        filter.folders().ifPresent(f -> sql.append(f.isEmpty() ? " AND 1 = 0" : " AND folder_id IN (<folders>)"));
        page.after().ifPresent(after -> sql.append(" AND name > :after"));
        sql.append(" ORDER BY name LIMIT ").append(page.limit() + 1);
        Query query = h.createQuery(sql.toString());
        filter.nameContains().ifPresent(q -> query.bind("name", "%" + likeEscaped(q.toLowerCase(Locale.ROOT)) + "%"));
        filter.tag().ifPresent(tag -> {
            String quoted = tagsJson(List.of(tag));
            query.bind("tag", "%" + likeEscaped(quoted.substring(1, quoted.length() - 1)) + "%");
        });
        filter.folders().filter(f -> !f.isEmpty()).ifPresent(f -> query.bindList("folders", f.stream().sorted().toList()));
        page.after().ifPresent(after -> query.bind("after", after.getFirst()));
        return Page.of(query.map(WorkflowRows::workflowRow).list(), page, w -> List.of(w.name()));
    }

    /** Every workflow ordered by name, for export. */
    public List<Workflow> all() {
        return h.createQuery("SELECT " + WORKFLOW_COLUMNS + " FROM workflows ORDER BY name")
                .map(WorkflowRows::workflowRow)
                .list();
    }

    private static Workflow workflowRow(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Workflow(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                tags(rs.getString("tags")), rs.getInt("latest_version"), instant(rs.getObject("created_at")).orElseThrow(),
                instant(rs.getObject("updated_at")).orElseThrow(), rs.getString("created_by"), rs.getString("folder_id"));
    }

    private static WorkflowVersion versionRow(ResultSet rs, StatementContext ctx) throws SQLException {
        WorkflowDefinition d = WorkflowDefinition.stored(rs.getString("definition"), rs.getString("checksum"),
                rs.getInt("size_bytes"), rs.getInt("node_count"));
        return new WorkflowVersion(rs.getString("workflow_id"), rs.getInt("version"), d,
                instant(rs.getObject("created_at")).orElseThrow(), rs.getString("created_by"));
    }

    private static List<String> tags(String json) throws SQLException {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("workflows.tags is not a JSON array of strings: " + json, e);
        }
    }

    private static String tagsJson(List<String> tags) {
        try {
            return JSON.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code s} as a literal part of a LIKE pattern with {@code ESCAPE '!'}. Not the backslash:
     * JDBI's SQL parser reads {@code \'} inside a quoted literal as an escaped quote.
     */
    private static String likeEscaped(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
