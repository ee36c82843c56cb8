package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.workflow.WorkflowVersion;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of workflows on the wire (REST answers, CLI {@code --json}), in one place so
 * the API and the CLI agree. Field order is the order written. {@code workflow_data} is shown with
 * the values of sensitive variables hidden ({@link SensitiveValues}), to every role; its
 * {@code checksum} stays the stored definition's.
 */
public final class WorkflowViews {
    private WorkflowViews() {}

    /** {@code id, name, description, tags, latest_version, created_at, updated_at, created_by}. */
    public static Map<String, Object> summary(Workflow w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("name", w.name());
        m.put("description", w.description());
        m.put("tags", w.tags());
        m.put("latest_version", w.latestVersion());
        m.put("created_at", w.createdAt());
        m.put("updated_at", w.updatedAt());
        m.put("created_by", w.createdBy());
        return m;
    }

    /** The summary plus one version: {@code version, checksum, size_bytes, node_count, version_created_at, workflow_data}. */
    public static Map<String, Object> detail(Workflow w, WorkflowVersion v) {
        Map<String, Object> m = summary(w);
        m.put("version", v.version());
        m.put("checksum", v.definition().checksum());
        m.put("size_bytes", v.definition().sizeBytes());
        m.put("node_count", v.definition().nodeCount());
        m.put("version_created_at", v.createdAt());
        m.put("version_created_by", v.createdBy());
        m.put("workflow_data", shown(v));
        return m;
    }

    /** A deploy's answer: the detail plus {@code created} (true for version 1 of a new workflow). */
    public static Map<String, Object> deployment(Deployment d) {
        Map<String, Object> m = detail(d.workflow(), d.version());
        m.put("created", d.created());
        return m;
    }

    /** One version: {@code workflow_id, version, checksum, size_bytes, node_count, created_at, created_by[, workflow_data]}. */
    public static Map<String, Object> version(WorkflowVersion v, boolean withData) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workflow_id", v.workflowId());
        m.put("version", v.version());
        m.put("checksum", v.definition().checksum());
        m.put("size_bytes", v.definition().sizeBytes());
        m.put("node_count", v.definition().nodeCount());
        m.put("created_at", v.createdAt());
        m.put("created_by", v.createdBy());
        if (withData) {
            m.put("workflow_data", shown(v));
        }
        return m;
    }

    private static JsonNode shown(WorkflowVersion v) {
        return SensitiveValues.definition(v.definition().json()).json();
    }
}
