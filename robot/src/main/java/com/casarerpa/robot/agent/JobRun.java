package com.casarerpa.robot.agent;

import com.casarerpa.common.json.Json;
import com.casarerpa.engine.ExecutionError;
import com.casarerpa.engine.ExecutionListener;
import com.casarerpa.engine.ExecutionRequest;
import com.casarerpa.engine.ExecutionResult;
import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.Outcome;
import com.casarerpa.engine.WorkflowEngine;
import com.casarerpa.robot.agent.HeldJob.Stop;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job's workflow on the engine (on the calling thread) and turns the result into the
 * final report: {@code job_completed}, {@code job_failed} or {@code job_cancelled}.
 */
final class JobRun implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(JobRun.class);
    /** Results above this are cut, so the message stays within the 1 MiB limit with room to spare. */
    static final int MAX_RESULT_BYTES = 900 * 1024;
    static final int MAX_PATH = 10_000;

    private final HeldJob job;
    private final WorkflowEngine engine;
    private final JobBook book;

    JobRun(HeldJob job, WorkflowEngine engine, JobBook book) {
        this.job = job;
        this.engine = engine;
        this.book = book;
    }

    @Override
    public void run() {
        ObjectNode report;
        try {
            ExecutionResult result = engine.run(new ExecutionRequest(job.jobId, job.workflow, job.variables, null),
                    new Listener(), job.cancellation);
            report = finalReport(job, result);
        } catch (RuntimeException | Error e) {
            JobBook.withJob(job, () -> log.error("job {}: the engine failed", job.jobId, e));
            report = job.message("job_failed").put("retryable", true);
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            report.putObject("error").put("type", "internal").put("message", Wire.cut("the robot's engine failed: " + e, 10_000))
                    .put("details", Wire.cut(trace.toString(), 50_000));
        }
        book.finished(job, report);
    }

    static ObjectNode finalReport(HeldJob job, ExecutionResult r) {
        Stop stop = job.stop;
        ObjectNode result = result(r);
        if (r.outcome() == Outcome.SUCCEEDED) {
            ObjectNode done = job.message("job_completed");
            done.set("result", result);
            return done;
        }
        if (stop == Stop.CANCELLED || stop == Stop.TIMED_OUT) {
            ObjectNode cancelled = job.message("job_cancelled").put("reason", stop.wire);
            if (job.cancelMessageId != null) {
                cancelled.put("reply_to", job.cancelMessageId);
            }
            result.remove("variables");
            cancelled.set("result", result);
            return cancelled;
        }
        ObjectNode failed = job.message("job_failed");
        ObjectNode error = failed.putObject("error");
        ExecutionError e = r.error();
        boolean retryable;
        if (r.outcome() == Outcome.CANCELLED || stop == Stop.SHUTDOWN) {
            error.put("type", "interrupted").put("message", "the robot stopped the run"
                    + (job.nodeId == null ? "" : " while node " + job.nodeId + " was running") + " because it is shutting down");
            retryable = true;
        } else if (e != null) {
            error.put("type", Wire.cut(e.type(), 200)).put("message", Wire.cut(e.message() == null ? e.type() : e.message(), 10_000));
            retryable = e.retryable();
        } else {
            boolean timeout = r.outcome() == Outcome.TIMED_OUT;
            error.put("type", timeout ? "workflow_timeout" : "internal")
                    .put("message", timeout ? "the workflow ran past its settings.timeout" : "the run failed without an error");
            retryable = true;
        }
        if (e != null) {
            putIfSet(error, "node_id", e.nodeId());
            putIfSet(error, "node_type", e.nodeType());
            putIfSet(error, "details", Wire.cut(e.details(), 50_000));
        }
        failed.put("retryable", retryable);
        failed.set("result", result);
        return failed;
    }

    /** The result object, cut to fit: variables left out first, then the path shortened. */
    static ObjectNode result(ExecutionResult r) {
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("executed_nodes", Math.max(0, r.executedNodes()));
        result.put("duration_ms", r.duration() == null ? 0 : Math.max(0, r.duration().toMillis()));
        if (r.variables() != null) {
            result.set("variables", variables(r.variables()));
        }
        List<String> path = r.executionPath() == null ? List.of() : r.executionPath();
        ArrayNode p = result.putArray("execution_path");
        path.stream().limit(MAX_PATH).forEach(p::add);
        boolean truncated = path.size() > MAX_PATH;
        if (Wire.bytes(result) > MAX_RESULT_BYTES) {
            result.remove("variables");
            truncated = true;
        }
        if (Wire.bytes(result) > MAX_RESULT_BYTES) {
            result.remove("execution_path");
        }
        if (truncated) {
            result.put("truncated", true);
        }
        return result;
    }

    private static JsonNode variables(Map<String, Object> values) {
        ObjectNode out = Json.mapper().createObjectNode();
        values.forEach((name, value) -> {
            try {
                out.set(name, Json.mapper().valueToTree(value));
            } catch (IllegalArgumentException e) {
                out.put(name, String.valueOf(value));
            }
        });
        return out;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private final class Listener implements ExecutionListener {
        @Override
        public void nodeStarted(String nodeId, String nodeType, int executedNodes) {
            book.nodeStarted(job, nodeId, nodeType, executedNodes);
        }

        @Override
        public void log(LogLevel level, String message, String nodeId, String nodeType) {
            book.addLog(job, level, message, nodeId, nodeType);
        }
    }
}
