package com.casarerpa.orchestrator.service;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What tells a retry from another request under the same idempotency key: the SHA-256 of the
 * request. A job request is hashed as canonical JSON (its fields, the key itself left out, object
 * keys sorted at every depth), so the order of fields, spacing, and whether the key came as a
 * header or a field do not matter, while any field or value that differs does. A webhook
 * delivery is hashed as the bytes of its body, which is what its sender signs and repeats.
 */
final class RequestFingerprints {
    private static final ObjectWriter CANONICAL = Json.mapper().writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);

    private RequestFingerprints() {}

    static String of(JobRequest request) {
        return WorkflowJson.sha256(canonical(tree(request)));
    }

    /** A batch: its jobs in order. */
    static String of(List<JobRequest> batch) {
        ArrayNode jobs = Json.mapper().createArrayNode();
        batch.forEach(r -> jobs.add(tree(r)));
        return WorkflowJson.sha256(canonical(jobs));
    }

    static String ofBody(byte[] body) {
        // Decoded as the job's variables are (Webhooks#variables), so a body hashes as it is used.
        return WorkflowJson.sha256(new String(body, StandardCharsets.UTF_8));
    }

    private static ObjectNode tree(JobRequest r) {
        ObjectNode n = Json.mapper().createObjectNode();
        r.workflowId().ifPresent(v -> n.put("workflow_id", v));
        r.workflowName().ifPresent(v -> n.put("workflow_name", v));
        r.version().ifPresent(v -> n.put("version", v));
        r.variables().ifPresent(v -> n.set("variables", v));
        r.priority().ifPresent(v -> n.put("priority", v));
        r.maxRetries().ifPresent(v -> n.put("max_retries", v));
        r.timeoutSeconds().ifPresent(v -> n.put("timeout_seconds", v));
        n.set("required_capabilities", Json.mapper().valueToTree(r.requiredCapabilities()));
        n.set("tags", Json.mapper().valueToTree(r.tags()));
        r.environment().ifPresent(v -> n.put("environment", v));
        return n;
    }

    private static String canonical(Object tree) {
        try {
            return CANONICAL.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
