package com.casarerpa.orchestrator.cli;

import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** The readable lines the workflow commands print, made from the JSON the API answers. */
final class WorkflowOutput {
    private WorkflowOutput() {}

    /** {@code Deployed "Daily Report" as wf_… version 2 (new version; 3 nodes, 1042 bytes, sha256 3f2a9c01b7d4).} */
    static String deployed(String deploymentJson) {
        JsonNode d = WorkflowJson.parse(deploymentJson);
        int version = d.path("version").asInt();
        String what = d.path("created").asBoolean() ? "new workflow"
                : "new version; versions 1 to " + (version - 1) + " kept";
        return "Deployed \"" + d.path("name").asText() + "\" as " + d.path("id").asText() + " version " + version
                + " (" + what + "; " + d.path("node_count").asInt() + " nodes, " + d.path("size_bytes").asInt()
                + " bytes, sha256 " + d.path("checksum").asText().substring(0, 12) + ")" + inFolder(d) + ".";
    }

    /** {@code  in folder Default/Finance}; nothing for the root, where single-team installations keep everything. */
    private static String inFolder(JsonNode d) {
        String path = d.path("folder").path("path").asText("");
        return path.isEmpty() || d.path("folder").path("id").asText().equals("root") ? "" : " in folder " + path;
    }

    /** {@code Schedule "Daily Report" (sch_…): 0 9 * * * in UTC, next 2027-01-04T09:00Z.}, when the deploy made one. */
    static Optional<String> scheduled(String deploymentJson) {
        JsonNode s = WorkflowJson.parse(deploymentJson).path("schedule");
        if (!s.isObject()) {
            return Optional.empty();
        }
        return Optional.of("Schedule \"" + s.path("name").asText() + "\" (" + s.path("id").asText() + "): "
                + s.path("cron").asText() + " in " + s.path("timezone").asText() + ", next " + s.path("next_fire_at").asText("none")
                + ".");
    }

    /** Counts of an export document: workflows and versions. */
    static String exported(JsonNode document, String file) {
        int workflows = document.path("workflows").size();
        int versions = 0;
        for (JsonNode w : document.path("workflows")) {
            versions += w.path("versions").size();
        }
        return "Exported " + plural(workflows, "workflow") + " (" + plural(versions, "version") + ") to " + file + ".";
    }

    /** What the file holds of sensitive values, when it matters: hidden ones, or real ones to keep safe. */
    static Optional<String> secretsNote(JsonNode document) {
        if (document.path("secrets_included").asBoolean(false)) {
            return Optional.of("The file holds the values of sensitive variables: keep it safe.");
        }
        int masked = 0;
        for (JsonNode w : document.path("workflows")) {
            for (JsonNode v : w.path("versions")) {
                masked += v.path("masked_variables").isEmpty() ? 0 : 1;
            }
        }
        return masked == 0 ? Optional.empty() : Optional.of("The values of sensitive variables are hidden"
                + " in " + plural(masked, "version") + "; such a version imports only where it already exists."
                + " For a full backup, export with --include-secrets (admin).");
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
