package com.casarerpa.robot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.engine.ExecutionError;
import com.casarerpa.engine.ExecutionResult;
import com.casarerpa.engine.Outcome;
import com.casarerpa.protocol.ws.Protocol;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the end of a run becomes the final report of docs/websocket-api.md. */
class JobRunTest {
    private static HeldJob job() {
        ObjectNode workflow = Json.mapper().createObjectNode();
        workflow.putObject("nodes");
        return new HeldJob("job_1", "lt_1", 1, "wf", workflow, Map.of(), null, Instant.now(), System.nanoTime());
    }

    private static ExecutionResult result(Outcome outcome, ExecutionError error) {
        return new ExecutionResult(outcome, Map.of("greeting", "hello", "password", "***"), 3, List.of("start", "set", "end"),
                Duration.ofMillis(36), error);
    }

    /** The report as it goes on the wire. */
    private static ObjectNode report(HeldJob job, ExecutionResult result) {
        return Protocol.tree(JobRun.finalReport(job, result));
    }

    @Test
    void success_is_job_completed_with_variables_path_and_counts() {
        ObjectNode report = report(job(), result(Outcome.SUCCEEDED, null));
        assertThat(report.get("type").asText()).isEqualTo("job_completed");
        assertThat(report.get("lease_token").asText()).isEqualTo("lt_1");
        assertThat(report.at("/result/variables/password").asText()).isEqualTo("***");
        assertThat(report.at("/result/executed_nodes").asInt()).isEqualTo(3);
        assertThat(report.at("/result/duration_ms").asInt()).isEqualTo(36);
        assertThat(report.at("/result/execution_path/2").asText()).isEqualTo("end");
        assertThat(report.has("/result/truncated")).isFalse();
    }

    @Test
    void a_node_error_is_job_failed_with_the_node_and_whether_a_retry_may_help() {
        ObjectNode report = report(job(), result(Outcome.FAILED,
                new ExecutionError("unsupported_node_type", "node type ExcelOpenNode is not supported", "xl1", "ExcelOpenNode", null, false)));
        assertThat(report.get("type").asText()).isEqualTo("job_failed");
        assertThat(report.get("retryable").asBoolean()).isFalse();
        assertThat(report.at("/error/type").asText()).isEqualTo("unsupported_node_type");
        assertThat(report.at("/error/node_id").asText()).isEqualTo("xl1");
        assertThat(report.at("/error/details").isMissingNode()).isTrue();
    }

    @Test
    void a_stop_asked_by_job_cancel_is_confirmed_with_its_reason_and_message_id() {
        HeldJob job = job();
        job.stop = HeldJob.Stop.TIMED_OUT;
        job.cancelMessageId = "s-9";
        ObjectNode report = report(job, result(Outcome.CANCELLED, null));
        assertThat(report.get("type").asText()).isEqualTo("job_cancelled");
        assertThat(report.get("reason").asText()).isEqualTo("timed_out");
        assertThat(report.get("reply_to").asText()).isEqualTo("s-9");
        assertThat(report.at("/result/variables").isMissingNode()).isTrue();
    }

    @Test
    void a_run_stopped_by_the_shutdown_grace_is_interrupted_and_retryable() {
        HeldJob job = job();
        job.stop = HeldJob.Stop.SHUTDOWN;
        ObjectNode report = report(job, result(Outcome.CANCELLED, null));
        assertThat(report.get("type").asText()).isEqualTo("job_failed");
        assertThat(report.at("/error/type").asText()).isEqualTo("interrupted");
        assertThat(report.get("retryable").asBoolean()).isTrue();
    }

    @Test
    void the_workflow_timeout_is_job_failed_workflow_timeout() {
        ObjectNode report = report(job(), result(Outcome.TIMED_OUT, null));
        assertThat(report.at("/error/type").asText()).isEqualTo("workflow_timeout");
        assertThat(report.get("retryable").asBoolean()).isTrue();
    }

    @Test
    void a_result_too_big_for_one_message_leaves_out_the_variables_and_says_so() {
        ExecutionResult big = new ExecutionResult(Outcome.SUCCEEDED, Map.of("blob", "x".repeat(2_000_000)), 20_000,
                Collections.nCopies(20_000, "node"), Duration.ofSeconds(1), null);
        ObjectNode result = Protocol.tree(JobRun.result(big));
        assertThat(result.has("variables")).isFalse();
        assertThat(result.get("execution_path")).hasSize(JobRun.MAX_PATH);
        assertThat(result.get("truncated").asBoolean()).isTrue();
        assertThat(Wire.bytes(result)).isLessThan(JobRun.MAX_RESULT_BYTES);
    }
}
