package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.store.GroupedReports;
import com.casarerpa.orchestrator.store.JobLogs;
import com.casarerpa.orchestrator.store.RobotLeases;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The robot's reports about one attempt ({@code job_started} … {@code lease_extend}). Each names
 * the attempt by job id and lease token. {@code job_started} and {@code job_completed}, the two
 * every job gets, go through their guarded change (one statement, committed with the reports of
 * other connections: {@code JobReports#grouped}) and are answered after that commit; when it
 * changed nothing, and for every other report, the lease says why, so the answer can tell a
 * repeated final report ({@code duplicate: true}) from a contradicting one ({@code conflict}) and
 * from a dead lease ({@code stale_lease} with the reason it ended). Changes go through
 * {@code JobReports}, which checks the lease again inside its transaction.
 */
final class JobMessages {
    private static final List<String> LEVELS = List.of("debug", "info", "warning", "error");

    private final ChannelParts parts;

    JobMessages(ChannelParts parts) {
        this.parts = parts;
    }

    ObjectNode handle(RobotConnection c, String type, Fields f, ObjectNode ack) {
        String jobId = f.requiredString("job_id", 64);
        String token = f.requiredString("lease_token", 64);
        // Every field is checked before the lease is looked up: a malformed message changes nothing.
        Lookup lease = () -> lease(c, jobId, token);
        return switch (type) {
            case "job_progress" -> progress(lease, f, ack);
            case "log_batch" -> logs(lease, f, ack);
            case "job_failed" -> failed(c, lease, f, ack);
            case "job_cancelled" -> cancelled(c, lease, f, ack);
            case "job_release" -> released(c, lease, f, ack);
            case "lease_extend" -> extended(lease, f, ack);
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** The two reports every job gets, answered when their group commits ({@link #grouped}). */
    static boolean isGrouped(String type) {
        return type.equals("job_started") || type.equals("job_completed");
    }

    /**
     * {@code job_started} or {@code job_completed}: the fields are checked now (a bad one throws
     * at once); the change joins the next group commit and the answer completes after it. When it
     * did not apply, the lease as it stood then says why, as the other reports do.
     */
    CompletableFuture<ObjectNode> grouped(RobotConnection c, String type, Fields f, ObjectNode ack) {
        String jobId = f.requiredString("job_id", 64);
        String token = f.requiredString("lease_token", 64);
        GroupedReports.Report report;
        if (type.equals("job_started")) {
            f.string("started_at", 64);
            report = new GroupedReports.Report(GroupedReports.Kind.STARTED, jobId, token, c.robotId(), null);
        } else {
            Fields result = f.object("result").orElseThrow(() -> ProtocolError.invalid("result", "is required"));
            result.requiredInteger("executed_nodes", 0, Long.MAX_VALUE);
            result.requiredInteger("duration_ms", 0, Long.MAX_VALUE);
            report = new GroupedReports.Report(GroupedReports.Kind.COMPLETED, jobId, token, c.robotId(), f.raw("result").toString());
        }
        return parts.reports().grouped(report).thenApply(o -> report.kind() == GroupedReports.Kind.STARTED
                ? started(c, report, o, ack) : completed(c, report, o, ack));
    }

    private ObjectNode started(RobotConnection c, GroupedReports.Report r, GroupedReports.Outcome o, ObjectNode ack) {
        if (o.applied()) {
            return ack.put("job_state", "running").put("duplicate", false);
        }
        RobotLeases.LeaseState l = known(c, r.jobId(), r.token(), o.lease().orElse(null), o::jobExists);
        requireLive(l);
        if (!"running".equals(l.jobState())) {
            // Not reached: a live lease of this robot still assigned is what the grouped change applies to.
            parts.reports().started(l.jobId(), l.token());
        }
        return ack.put("job_state", "running").put("duplicate", "running".equals(l.jobState()));
    }

    private ObjectNode completed(RobotConnection c, GroupedReports.Report r, GroupedReports.Outcome o, ObjectNode ack) {
        if (o.applied()) {
            return finished(c, r.jobId(), ack.put("job_state", "succeeded").put("duplicate", false));
        }
        RobotLeases.LeaseState l = known(c, r.jobId(), r.token(), o.lease().orElse(null), o::jobExists);
        if (!l.live()) {
            return repeated(l, "succeeded", ack);
        }
        // Not reached: a live lease of this robot is what the grouped change applies to.
        parts.reports().completed(l.jobId(), l.token(), r.resultJson());
        return finished(c, l, ack.put("job_state", "succeeded").put("duplicate", false));
    }

    /** The lease a message names, looked up once its fields are known to be good. */
    @FunctionalInterface
    private interface Lookup {
        RobotLeases.LeaseState get();
    }

    private RobotLeases.LeaseState lease(RobotConnection c, String jobId, String token) {
        return known(c, jobId, token, parts.leases().find(jobId, token).orElse(null), () -> parts.leases().jobExists(jobId));
    }

    /** The lease if it is this robot's; otherwise the error that says the job or the lease is unknown. */
    private static RobotLeases.LeaseState known(RobotConnection c, String jobId, String token, RobotLeases.LeaseState lease,
            java.util.function.BooleanSupplier jobExists) {
        if (lease == null || !lease.robotId().equals(c.robotId())) {
            if (!jobExists.getAsBoolean()) {
                throw ProtocolError.of("not_found", "job " + jobId + " does not exist; drop the report and stop the job", false);
            }
            throw stale(jobId, token, "unknown", "the server knows no lease " + token + " of job " + jobId + " for this robot");
        }
        return lease;
    }

    private static ProtocolError stale(String jobId, String token, String reason, String why) {
        return ProtocolError.of("stale_lease", "lease " + token + " of job " + jobId + " is not live (" + why
                + "); the report was not applied", false).with("reason", reason);
    }

    private static ProtocolError stale(RobotLeases.LeaseState l) {
        return stale(l.jobId(), l.token(), l.endReason(), "it ended: " + l.endReason()).with("job_state", l.jobState());
    }

    private static void requireLive(RobotLeases.LeaseState l) {
        if (!l.live()) {
            throw stale(l);
        }
    }

    private ObjectNode progress(Lookup lease, Fields f, ObjectNode ack) {
        Double percent = f.number("percent", 0, 100).orElse(null);
        f.string("node_id", 200);
        f.string("node_type", 200);
        f.integer("executed_nodes", 0, Integer.MAX_VALUE);
        f.string("message", 1000);
        RobotLeases.LeaseState l = lease.get();
        requireLive(l);
        if ("assigned".equals(l.jobState())) {
            parts.reports().started(l.jobId(), l.token());
        }
        if (percent != null) {
            parts.reports().progress(l.jobId(), l.token(), (int) Math.floor(percent));
        }
        return ack;
    }

    private ObjectNode logs(Lookup lease, Fields f, ObjectNode ack) {
        List<Fields> items = f.objects("entries", 1000).orElseThrow(() -> ProtocolError.invalid("entries", "is required"));
        if (items.isEmpty()) {
            throw ProtocolError.invalid("entries", "at least 1 entry");
        }
        List<JobLogs.Entry> entries = new ArrayList<>();
        for (Fields e : items) {
            entries.add(new JobLogs.Entry(e.requiredInteger("seq", 1, Long.MAX_VALUE), e.time("timestamp"),
                    e.oneOf("level", LEVELS), e.requiredString("message", 10_000), e.string("node_id", 200),
                    e.string("node_type", 200)));
        }
        RobotLeases.LeaseState l = lease.get();
        if (!l.live() && !l.reported()) {
            throw stale(l);
        }
        JobLogs.Appended appended = parts.logs().append(l.jobId(), l.token(), entries);
        return ack.put("accepted", appended.accepted()).put("duplicates", appended.duplicates());
    }

    private ObjectNode failed(RobotConnection c, Lookup lease, Fields f, ObjectNode ack) {
        Fields error = f.object("error").orElseThrow(() -> ProtocolError.invalid("error", "is required"));
        String errorType = error.requiredString("type", 200);
        String message = error.requiredString("message", 10_000);
        error.string("node_id", 200);
        error.string("node_type", 200);
        error.string("details", 50_000);
        boolean retryable = f.bool("retryable").orElse(true);
        f.object("result");
        RobotLeases.LeaseState l = lease.get();
        if (!l.live()) {
            return repeated(l, "failed", ack);
        }
        JobState now = parts.reports().failed(l.jobId(), l.token(), errorType, message, retryable);
        ack.put("job_state", now.wireName()).put("duplicate", false);
        if (now == JobState.PENDING) {
            parts.jobs().find(l.jobId()).map(Job::runAfter).ifPresent(at -> ack.put("retry_at", Replies.time(at)));
        }
        return finished(c, l, ack);
    }

    private ObjectNode cancelled(RobotConnection c, Lookup lease, Fields f, ObjectNode ack) {
        String reason = f.oneOf("reason", List.of("cancelled", "timed_out"));
        f.bool("was_running");
        f.object("result");
        RobotLeases.LeaseState l = lease.get();
        if (!l.live()) {
            return repeated(l, l.outcome().filter(o -> o.equals("cancelled") || o.equals("timed_out")).orElse(reason), ack);
        }
        if (l.cancelReason().isEmpty() && reason.equals("cancelled")) {
            throw ProtocolError.invalid("reason", "no cancel was requested for job " + l.jobId()
                    + "; to give a job up use job_release or job_failed (only a robot's own timeout may stop a job unasked)");
        }
        JobState now = parts.reports().stopped(l.jobId(), l.token(), JobState.TIMED_OUT);
        return finished(c, l, ack.put("job_state", now.wireName()).put("duplicate", false));
    }

    private ObjectNode released(RobotConnection c, Lookup lease, Fields f, ObjectNode ack) {
        f.oneOf("reason", List.of("no_free_slot", "shutting_down", "other"));
        f.string("message", 1000);
        RobotLeases.LeaseState l = lease.get();
        requireLive(l);
        if (l.cancelReason().isPresent()) {
            throw ProtocolError.of("conflict", "job " + l.jobId() + " is being cancelled (" + l.cancelReason().get()
                    + "); confirm with job_cancelled instead of releasing it", false);
        }
        parts.reports().released(l.jobId(), l.token());
        c.pauseUntil(parts.clock().instant().plus(parts.settings().releasePause()));
        return finished(c, l, ack.put("job_state", "pending"));
    }

    private ObjectNode extended(Lookup lease, Fields f, ObjectNode ack) {
        int seconds = (int) (long) f.integer("extension_seconds", 1, 3600).orElse((long) parts.settings().visibilityTimeoutSeconds());
        RobotLeases.LeaseState l = lease.get();
        requireLive(l);
        parts.reports().extend(l.jobId(), l.token(), seconds);
        RobotLeases.LeaseState now = parts.leases().find(l.jobId(), l.token()).orElseThrow();
        return ack.put("lease_expires_at", now.expiresAt().map(Replies::time).orElse(null));
    }

    /** A final report under a lease that already ended: the same one again, another one, or too late. */
    private static ObjectNode repeated(RobotLeases.LeaseState l, String outcome, ObjectNode ack) {
        if (l.reported() && l.outcome().orElse("").equals(outcome)) {
            return ack.put("job_state", l.jobState()).put("duplicate", true);
        }
        if (l.reported()) {
            throw ProtocolError.of("conflict", "job " + l.jobId() + " already has a final report under lease " + l.token()
                    + " (" + l.outcome().orElse("") + "); the first report stands", false).with("job_state", l.jobState());
        }
        throw stale(l);
    }

    private ObjectNode finished(RobotConnection c, RobotLeases.LeaseState l, ObjectNode ack) {
        return finished(c, l.jobId(), ack);
    }

    private ObjectNode finished(RobotConnection c, String jobId, ObjectNode ack) {
        c.cancelsSent.remove(jobId);
        // A job that ended frees a slot and adds no work; one going back to pending (failed with
        // retries left, released) is new work.
        if ("pending".equals(ack.path("job_state").asText())) {
            parts.dispatch().wake();
        } else {
            parts.dispatch().slotFreed();
        }
        return ack;
    }
}
