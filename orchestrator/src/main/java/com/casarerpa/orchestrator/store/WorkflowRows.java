package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.domain.WorkflowDefinition;
import com.casarerpa.orchestrator.domain.WorkflowVersion;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the {@code workflows} and {@code workflow_versions} tables, on one connection of a
 * transaction that {@link WorkflowStore} opened. Every method may throw {@link SQLException};
 * the store wraps it.
 */
public final class WorkflowRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String WORKFLOW_COLUMNS =
            "id, name, description, tags, latest_version, created_at, updated_at, created_by";
    private static final String VERSION_COLUMNS =
            "workflow_id, version, checksum, size_bytes, node_count, created_at, created_by";

    private final Connection c;

    WorkflowRows(Connection c) {
        this.c = c;
    }

    /** The workflow with this id, else the one with this name; {@code forUpdate} locks its row. */
    public Optional<Workflow> find(String idOrName, boolean forUpdate) throws SQLException {
        Optional<Workflow> byId = findBy("id", idOrName, forUpdate);
        return byId.isPresent() ? byId : findBy("name", idOrName, forUpdate);
    }

    public Optional<Workflow> findById(String id, boolean forUpdate) throws SQLException {
        return findBy("id", id, forUpdate);
    }

    public Optional<Workflow> findByName(String name, boolean forUpdate) throws SQLException {
        return findBy("name", name, forUpdate);
    }

    private Optional<Workflow> findBy(String column, String value, boolean forUpdate) throws SQLException {
        String sql = "SELECT " + WORKFLOW_COLUMNS + " FROM workflows WHERE " + column + " = ?" + (forUpdate ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(workflow(rs)) : Optional.empty();
            }
        }
    }

    public void insert(Workflow w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO workflows (" + WORKFLOW_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, w.id());
            ps.setString(2, w.name());
            ps.setString(3, w.description());
            ps.setString(4, tagsJson(w.tags()));
            ps.setInt(5, w.latestVersion());
            ps.setObject(6, utc(w.createdAt()));
            ps.setObject(7, utc(w.updatedAt()));
            ps.setString(8, w.createdBy());
            ps.executeUpdate();
        }
    }

    public void insert(WorkflowVersion v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO workflow_versions (" + VERSION_COLUMNS
                + ", definition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            WorkflowDefinition d = v.definition();
            ps.setString(1, v.workflowId());
            ps.setInt(2, v.version());
            ps.setString(3, d.checksum());
            ps.setInt(4, d.sizeBytes());
            ps.setInt(5, d.nodeCount());
            ps.setObject(6, utc(v.createdAt()));
            ps.setString(7, v.createdBy());
            ps.setString(8, d.text());
            ps.executeUpdate();
        }
    }

    /** Writes the mutable columns of {@code w}: description, tags, latest version, updated_at. */
    public void update(Workflow w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE workflows SET description = ?, tags = ?, latest_version = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, w.description());
            ps.setString(2, tagsJson(w.tags()));
            ps.setInt(3, w.latestVersion());
            ps.setObject(4, utc(w.updatedAt()));
            ps.setString(5, w.id());
            ps.executeUpdate();
        }
    }

    /** Deletes the workflow and (by the foreign key's cascade) its versions. */
    public void delete(String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM workflows WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    public Optional<WorkflowVersion> version(String workflowId, int version) throws SQLException {
        List<WorkflowVersion> found = versions(workflowId, version);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** Every version with its definition, oldest first. */
    public List<WorkflowVersion> versions(String workflowId) throws SQLException {
        return versions(workflowId, null);
    }

    private List<WorkflowVersion> versions(String workflowId, Integer only) throws SQLException {
        String sql = "SELECT " + VERSION_COLUMNS + ", definition FROM workflow_versions WHERE workflow_id = ?"
                + (only == null ? "" : " AND version = ?") + " ORDER BY version";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, workflowId);
            if (only != null) {
                ps.setInt(2, only);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<WorkflowVersion> out = new ArrayList<>();
                while (rs.next()) {
                    WorkflowDefinition d = WorkflowDefinition.stored(rs.getString("definition"), rs.getString("checksum"),
                            rs.getInt("size_bytes"), rs.getInt("node_count"));
                    out.add(new WorkflowVersion(rs.getString("workflow_id"), rs.getInt("version"), d,
                            instant(rs, "created_at"), rs.getString("created_by")));
                }
                return out;
            }
        }
    }

    /** Workflows ordered by name, filtered, one page (reads {@code limit + 1} rows). */
    public Page<Workflow> list(WorkflowFilter filter, PageRequest page) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + WORKFLOW_COLUMNS + " FROM workflows WHERE 1 = 1");
        List<String> params = new ArrayList<>();
        filter.nameContains().ifPresent(q -> {
            sql.append(" AND LOWER(name) LIKE ? ESCAPE '\\'");
            params.add("%" + likeEscaped(q.toLowerCase(java.util.Locale.ROOT)) + "%");
        });
        filter.tag().ifPresent(tag -> {
            sql.append(" AND tags LIKE ? ESCAPE '\\'");
            String quoted = tagsJson(List.of(tag));
            params.add("%" + likeEscaped(quoted.substring(1, quoted.length() - 1)) + "%");
        });
        page.after().ifPresent(after -> {
            sql.append(" AND name > ?");
            params.add(after.getFirst());
        });
        sql.append(" ORDER BY name LIMIT ").append(page.limit() + 1);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Workflow> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(workflow(rs));
                }
                return Page.of(rows, page, w -> List.of(w.name()));
            }
        }
    }

    /** Every workflow ordered by name, for export. */
    public List<Workflow> all() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + WORKFLOW_COLUMNS + " FROM workflows ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            List<Workflow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(workflow(rs));
            }
            return rows;
        }
    }

    private static Workflow workflow(ResultSet rs) throws SQLException {
        return new Workflow(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                tags(rs.getString("tags")), rs.getInt("latest_version"), instant(rs, "created_at"),
                instant(rs, "updated_at"), rs.getString("created_by"));
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

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
