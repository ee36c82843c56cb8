package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.RobotJobs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The robot's reports about one attempt ({@code job_started} … {@code lease_extend}), read from
 * their messages and answered; what they do, and why one is refused, is decided by
 * {@link RobotJobs} (the same rules as the REST pull protocol). Each report names the attempt by
 * job id and lease token, and every field is checked before the lease is looked up, so a
 * malformed message changes nothing. {@code job_started} and {@code job_completed} are answered
 * after their group commit.
 */
final class JobMessages {
    private static final List<String> LEVELS = List.of("debug", "info", "warning", "error");

    private final RobotJobs jobs;
    private final DispatchSignal dispatch;
    private final ChannelSettings settings;
    private final Clock clock;

    JobMessages(RobotJobs jobs, DispatchSignal dispatch, ChannelSettings settings, Clock clock) {
        this.jobs = jobs;
        this.dispatch = dispatch;
        this.settings = settings;
        this.clock = clock;
    }

    ObjectNode handle(RobotConnection c, String type, Fields f, ObjectNode ack) {
        String jobId = f.requiredString("job_id", 64);
        String token = f.requiredString("lease_token", 64);
        return switch (type) {
            case "job_progress" -> progress(c, jobId, token, f, ack);
            case "log_batch" -> logs(c, jobId, token, f, ack);
            case "job_failed" -> failed(c, jobId, token, f, ack);
            case "job_cancelled" -> cancelled(c, jobId, token, f, ack);
            case "job_release" -> released(c, jobId, token, f, ack);
            case "lease_extend" -> extended(c, jobId, token, f, ack);
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** The two reports every job gets, answered when their group commits ({@link #grouped}). */
    static boolean isGrouped(String type) {
        return type.equals("job_started") || type.equals("job_completed");
    }

    /**
     * {@code job_started} or {@code job_completed}: the fields are checked now (a bad one throws
     * at once); the change joins the next group commit and the answer completes after it.
     */
    CompletableFuture<ObjectNode> grouped(RobotConnection c, String type, Fields f, ObjectNode ack) {
        String jobId = f.requiredString("job_id", 64);
        String token = f.requiredString("lease_token", 64);
        if (type.equals("job_started")) {
            f.string("started_at", 64);
            return jobs.started(c.robotId(), jobId, token).thenApply(r -> answer(r, ack));
        }
        Fields result = f.object("result").orElseThrow(() -> ProtocolError.invalid("result", "is required"));
        result.requiredInteger("executed_nodes", 0, Long.MAX_VALUE);
        result.requiredInteger("duration_ms", 0, Long.MAX_VALUE);
        return jobs.completed(c.robotId(), jobId, token, f.raw("result").toString())
                .thenApply(r -> r.duplicate() ? answer(r, ack) : finished(c, jobId, answer(r, ack)));
    }

    private ObjectNode progress(RobotConnection c, String jobId, String token, Fields f, ObjectNode ack) {
        Optional<Integer> percent = f.number("percent", 0, 100).map(p -> (int) Math.floor(p));
        f.string("node_id", 200);
        f.string("node_type", 200);
        f.integer("executed_nodes", 0, Integer.MAX_VALUE);
        f.string("message", 1000);
        jobs.progress(c.robotId(), jobId, token, percent);
        return ack;
    }

    private ObjectNode logs(RobotConnection c, String jobId, String token, Fields f, ObjectNode ack) {
        List<Fields> items = f.objects("entries", RobotJobs.MAX_LOG_BATCH)
                .orElseThrow(() -> ProtocolError.invalid("entries", "is required"));
        List<RobotJobs.LogLine> lines = new ArrayList<>();
        for (Fields e : items) {
            lines.add(new RobotJobs.LogLine(e.requiredInteger("seq", 1, Long.MAX_VALUE), e.time("timestamp"),
                    e.oneOf("level", LEVELS), e.requiredString("message", 10_000), e.string("node_id", 200),
                    e.string("node_type", 200)));
        }
        RobotJobs.LogsAppended appended = jobs.appendLogs(c.robotId(), jobId, token, lines);
        return ack.put("accepted", appended.accepted()).put("duplicates", appended.duplicates());
    }

    private ObjectNode failed(RobotConnection c, String jobId, String token, Fields f, ObjectNode ack) {
        Fields error = f.object("error").orElseThrow(() -> ProtocolError.invalid("error", "is required"));
        String errorType = error.requiredString("type", 200);
        String message = error.requiredString("message", 10_000);
        error.string("node_id", 200);
        error.string("node_type", 200);
        error.string("details", 50_000);
        boolean retryable = f.bool("retryable").orElse(true);
        f.object("result");
        RobotJobs.Reported r = jobs.failed(c.robotId(), jobId, token, errorType, message, retryable);
        answer(r, ack);
        r.retryAt().ifPresent(at -> ack.put("retry_at", Replies.time(at)));
        return r.duplicate() ? ack : finished(c, jobId, ack);
    }

    private ObjectNode cancelled(RobotConnection c, String jobId, String token, Fields f, ObjectNode ack) {
        String reason = f.oneOf("reason", List.of("cancelled", "timed_out"));
        f.bool("was_running");
        f.object("result");
        RobotJobs.Reported r = jobs.stopped(c.robotId(), jobId, token, reason);
        return r.duplicate() ? answer(r, ack) : finished(c, jobId, answer(r, ack));
    }

    private ObjectNode released(RobotConnection c, String jobId, String token, Fields f, ObjectNode ack) {
        f.oneOf("reason", List.of("no_free_slot", "shutting_down", "other"));
        f.string("message", 1000);
        jobs.released(c.robotId(), jobId, token);
        c.pauseUntil(clock.instant().plus(settings.releasePause()));
        return finished(c, jobId, ack.put("job_state", JobState.PENDING.wireName()));
    }

    private ObjectNode extended(RobotConnection c, String jobId, String token, Fields f, ObjectNode ack) {
        Optional<Long> seconds = f.integer("extension_seconds", Long.MIN_VALUE, Long.MAX_VALUE);
        return ack.put("lease_expires_at", jobs.extend(c.robotId(), jobId, token, seconds).map(Replies::time).orElse(null));
    }

    private static ObjectNode answer(RobotJobs.Reported r, ObjectNode ack) {
        return ack.put("job_state", r.state().wireName()).put("duplicate", r.duplicate());
    }

    private ObjectNode finished(RobotConnection c, String jobId, ObjectNode ack) {
        c.cancelsSent.remove(jobId);
        // A job that ended frees a slot and adds no work; one going back to pending (failed with
        // retries left, released) is new work.
        if (JobState.PENDING.wireName().equals(ack.path("job_state").asText())) {
            dispatch.wake();
        } else {
            dispatch.slotFreed();
        }
        return ack;
    }
}
