package com.casarerpa.robot.agent;

import com.casarerpa.common.json.Json;
import com.casarerpa.engine.ExecutionError;
import com.casarerpa.engine.ExecutionListener;
import com.casarerpa.engine.ExecutionRequest;
import com.casarerpa.engine.ExecutionResult;
import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.Outcome;
import com.casarerpa.engine.WorkflowEngine;
import com.casarerpa.protocol.ws.Parts.RunError;
import com.casarerpa.protocol.ws.Parts.RunResult;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.robot.agent.HeldJob.Stop;
import com.fasterxml.jackson.databind.JsonNode;
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
        RobotMessage report;
        try {
            ExecutionResult result = engine.run(new ExecutionRequest(job.jobId, job.workflow, job.variables, null),
                    new Listener(), job.cancellation);
            report = finalReport(job, result);
        } catch (RuntimeException | Error e) {
            JobBook.withJob(job, () -> log.error("job {}: the engine failed", job.jobId, e));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            report = new RobotMessage.JobFailed(null, job.jobId, job.leaseToken, new RunError("internal",
                    Wire.cut("the robot's engine failed: " + e, 10_000), null, null, Wire.cut(trace.toString(), 50_000)),
                    true, null);
        }
        book.finished(job, report);
    }

    static RobotMessage finalReport(HeldJob job, ExecutionResult r) {
        Stop stop = job.stop;
        RunResult result = result(r);
        if (r.outcome() == Outcome.SUCCEEDED) {
            return new RobotMessage.JobCompleted(null, job.jobId, job.leaseToken, result);
        }
        if (stop == Stop.CANCELLED || stop == Stop.TIMED_OUT) {
            return new RobotMessage.JobCancelled(null, job.cancelMessageId, job.jobId, job.leaseToken, stop.wire, null,
                    result.withoutVariables());
        }
        return new RobotMessage.JobFailed(null, job.jobId, job.leaseToken, error(job, r), retryable(job, r), result);
    }

    private static boolean stoppedByShutdown(HeldJob job, ExecutionResult r) {
        return r.outcome() == Outcome.CANCELLED || job.stop == Stop.SHUTDOWN;
    }

    private static RunError error(HeldJob job, ExecutionResult r) {
        ExecutionError e = r.error();
        String type;
        String message;
        if (stoppedByShutdown(job, r)) {
            type = "interrupted";
            message = "the robot stopped the run" + (job.nodeId == null ? "" : " while node " + job.nodeId + " was running")
                    + " because it is shutting down";
        } else if (e != null) {
            type = Wire.cut(e.type(), 200);
            message = Wire.cut(e.message() == null ? e.type() : e.message(), 10_000);
        } else {
            boolean timeout = r.outcome() == Outcome.TIMED_OUT;
            type = timeout ? "workflow_timeout" : "internal";
            message = timeout ? "the workflow ran past its settings.timeout" : "the run failed without an error";
        }
        return e == null ? new RunError(type, message, null, null, null)
                : new RunError(type, message, e.nodeId(), e.nodeType(), Wire.cut(e.details(), 50_000));
    }

    private static boolean retryable(HeldJob job, ExecutionResult r) {
        return stoppedByShutdown(job, r) || r.error() == null || r.error().retryable();
    }

    /** The result, cut to fit: variables left out first, then the path shortened. */
    static RunResult result(ExecutionResult r) {
        long executed = Math.max(0, r.executedNodes());
        long duration = r.duration() == null ? 0 : Math.max(0, r.duration().toMillis());
        JsonNode variables = r.variables() == null ? null : variables(r.variables());
        List<String> path = r.executionPath() == null ? List.of() : r.executionPath();
        List<String> kept = path.size() > MAX_PATH ? List.copyOf(path.subList(0, MAX_PATH)) : path;
        boolean truncated = path.size() > MAX_PATH;
        RunResult result = new RunResult(variables, executed, duration, kept, null);
        if (Wire.bytes(result) > MAX_RESULT_BYTES) {
            result = new RunResult(null, executed, duration, kept, null);
            truncated = true;
        }
        if (Wire.bytes(result) > MAX_RESULT_BYTES) {
            result = new RunResult(null, executed, duration, null, null);
        }
        return truncated ? new RunResult(result.variables(), executed, duration, result.executionPath(), true) : result;
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
