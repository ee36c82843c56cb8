package com.casarerpa.bench;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Every figure of a run, with the machine, the options and the server settings, as one JSON document. */
final class ResultsJson {
    private ResultsJson() {}

    static void write(Path file, BenchOptions o, Map<String, Object> facts, List<DatabaseRun.Result> runs,
            PgbenchBaseline.Result pgbench) throws IOException {
        var mapper = Json.mapper();
        ObjectNode root = mapper.createObjectNode();
        root.set("machine", mapper.valueToTree(facts));
        ObjectNode options = root.putObject("options");
        options.put("robots", o.robots()).put("slots", o.slots()).put("duration_seconds", o.durationSeconds())
                .put("warmup_seconds", o.warmupSeconds()).put("rate", o.rate()).put("latency_seconds", o.latencySeconds())
                .put("batch", o.batch()).put("batch_producers", ThroughputPhase.BATCH_PRODUCERS)
                .put("single_producers", ThroughputPhase.SINGLE_PRODUCERS).put("quick", o.quick()).put("history", o.history())
                .put("submit_clients", o.submitClients()).put("submit_seconds", o.submitSeconds()).put("submit_only", o.submitOnly());
        options.set("databases", mapper.valueToTree(o.databases()));
        root.set("server_settings_set", mapper.valueToTree(ServerProcess.SETTINGS));
        ObjectNode targets = root.putObject("targets");
        targets.put("jobs_per_second", ResultTable.TARGET_JOBS_PER_SECOND).put("jobs_per_second_aim", ResultTable.AIM_JOBS_PER_SECOND)
                .put("dispatch_p99_ms", ResultTable.TARGET_P99_MS).put("dispatch_p99_ms_aim", ResultTable.AIM_P99_MS);
        ObjectNode results = root.putObject("results");
        for (DatabaseRun.Result r : runs) {
            ObjectNode db = results.putObject(r.database());
            if (r.throughput() != null) {
                db.set("throughput", mapper.valueToTree(r.throughput()));
                db.set("latency", mapper.valueToTree(r.latency()));
                db.set("reads", mapper.valueToTree(r.reads()));
                db.put("throughput_target_met", r.throughput().jobsPerSecond() >= ResultTable.TARGET_JOBS_PER_SECOND);
                db.put("latency_target_met", r.latency().dispatchMs().p99() <= ResultTable.TARGET_P99_MS);
            }
            if (r.submits() != null) {
                db.set("single_submits", mapper.valueToTree(r.submits()));
            }
            db.set("server_config", r.serverConfig());
            db.set("server_warnings", mapper.valueToTree(r.serverWarnings()));
        }
        root.set("pgbench", mapper.valueToTree(pgbench));
        mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }
}
