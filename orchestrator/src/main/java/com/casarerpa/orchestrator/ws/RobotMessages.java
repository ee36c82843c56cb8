package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.error.OrchestratorException;
import com.casarerpa.orchestrator.metrics.HttpMetrics;
import com.casarerpa.orchestrator.metrics.RobotMetrics;
import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.ForbiddenException;
import com.casarerpa.orchestrator.service.LeaseRefused;
import com.casarerpa.orchestrator.service.RobotJobs;
import com.casarerpa.orchestrator.service.Robots;
import com.casarerpa.protocol.ws.Parts;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one text message of a robot, routes it by {@code type}, and writes its one answer: the
 * handler's {@code ack} (or {@code registered}) after the commit, or an {@code error} that names
 * what was wrong. {@code job_started} and {@code job_completed} are answered when their group
 * commit is done, while the connection's next messages are read; any other message waits for
 * the grouped reports before it, so a connection's messages still take effect in order. A message without an {@code id} is answered only when it fails. Nothing a
 * robot sends can break its connection, except what the protocol says closes it.
 *
 * <p>Each message is counted by its {@code type} once read ({@code invalid} when it is not a
 * JSON object with a known type), a message over the connection's rate as a
 * {@code robot_messages} rate-limit refusal, and a report refused as {@code stale_lease} as a
 * stale report: every refusal of the channel becomes its answer here.
 */
final class RobotMessages {
    private static final Logger log = LoggerFactory.getLogger(RobotMessages.class);
    private static final Set<String> JOB_TYPES = Set.of("job_started", "job_progress", "log_batch", "job_completed",
            "job_failed", "job_cancelled", "job_release", "lease_extend");

    /** Errors that say nothing about the robot's behaviour, so they do not count towards the 1008 close. */
    private static final Set<String> SERVER_SIDE = Set.of("rate_limited", "unavailable", "internal_error");
    private static final int CLOSE_POLICY = 1008;
    private static final int CLOSE_SERVER_ERROR = 1011;
    private static final int CLOSE_TRY_AGAIN = 1013;

    private final Robots robots;
    private final RobotJobs robotJobs;
    private final ChannelSettings settings;
    private final Clock clock;
    private final Registrar registrar;
    private final JobMessages jobs;
    private final RobotMetrics metrics;
    private final HttpMetrics limits;

    /**
     * @param instanceId this instance's id, recorded with each robot's current connection
     * @param limits     where refusals by the message rate limit are counted
     */
    RobotMessages(Robots robots, RobotJobs robotJobs, ChannelSettings settings, Clock clock, DispatchSignal dispatch,
            String instanceId, Connections connections, RobotMetrics metrics, HttpMetrics limits) {
        this.robots = robots;
        this.robotJobs = robotJobs;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.limits = limits;
        this.registrar = new Registrar(robots, robotJobs, settings, clock, dispatch, instanceId, connections);
        this.jobs = new JobMessages(robotJobs, dispatch, settings, clock);
    }

    void onText(RobotConnection c, String text) {
        c.handlingStarts(clock.instant());
        try {
            handle(c, text);
        } finally {
            c.handlingEnds(clock.instant());
        }
    }

    private void handle(RobotConnection c, String text) {
        // Every message counts against the rate, a malformed one too (it is answered, not processed).
        long retryAfterMs = c.takeMessage();
        Incoming in;
        try {
            in = Incoming.parse(text);
        } catch (ProtocolError e) {
            metrics.websocketMessage(RobotMetrics.Direction.IN, RobotMetrics.INVALID);
            reply(c, null, e, null, null);
            return;
        }
        String id = in.id;
        String type = in.type;
        String jobId = in.jobId;
        metrics.websocketMessage(RobotMetrics.Direction.IN, type);
        if (retryAfterMs > 0) {
            limits.rateLimited(HttpMetrics.RateLimitScope.ROBOT_MESSAGES);
            reply(c, id, ProtocolError.of("rate_limited", "more than " + settings.messagesPerSecond()
                    + " messages per second on this connection (burst " + settings.messageBurst()
                    + "); the message was not processed. Send it again after " + retryAfterMs + " ms", true)
                    .with("retry_after_ms", retryAfterMs), type, jobId);
            return;
        }
        // An attempt-ending report's answer goes out before any job_assign its commit allows (RobotConnection#assign).
        boolean ending = false;
        try {
            in.checkId();
            if (type == null) {
                throw ProtocolError.invalid("type", "is required (a string such as \"heartbeat\")");
            }
            boolean grouped = JobMessages.isGrouped(type) && c.isRegistered();
            if (c.isRegistered() && !grouped && !"heartbeat".equals(type)) {
                // A key bound to the robot may have been created since register; from then on this
                // connection of a fleet key may not act as the robot (4003). Grouped reports check
                // it in their statement (Reporter), heartbeats with the others of their
                // group (RobotJobs#heartbeat), without a read of their own.
                robots.checkStillActingAs(c.robotId(), c.actor);
            }
            ending = c.isRegistered() && JobMessages.endsAttempt(type);
            if (ending) {
                c.reportEnding();
            }
            if (grouped) {
                // Answered when its group commits; meanwhile the connection's next messages are read.
                boolean endsAttempt = ending;
                CompletableFuture<ServerMessage.Ack> report = jobs.grouped(c, robots.reporter(c.robotId(), c.actor), in);
                ending = false;
                c.afterReports(report.handle((answer, failure) -> {
                    try {
                        if (failure == null) {
                            answer(c, id, answer);
                        } else {
                            failed(c, id, failure instanceof CompletionException && failure.getCause() != null
                                    ? failure.getCause() : failure, type, jobId);
                        }
                    } finally {
                        if (endsAttempt) {
                            c.reportAnswered();
                        }
                    }
                    return null;
                }));
                return;
            }
            // Any other message is handled after the grouped reports before it (in order).
            c.awaitReports();
            answer(c, id, route(c, in));
        } catch (RuntimeException e) {
            failed(c, id, e, type, jobId);
        } finally {
            if (ending) {
                c.reportAnswered();
            }
        }
    }

    /** An {@code ack} goes only to a message with an {@code id}; {@code registered} always. */
    private static void answer(RobotConnection c, String id, ServerMessage answer) {
        if (id != null || !(answer instanceof ServerMessage.Ack)) {
            c.outbox.send(answer);
        }
    }

    /**
     * Answers a message that failed with the error the protocol gives for the failure: the one
     * place where exceptions become {@code error} messages. An {@link OrchestratorException} keeps
     * its code and {@code retryable}; the WebSocket adds its own facts to a few (the lease end
     * reason, the retry hint, the close after {@code forbidden}).
     */
    private void failed(RobotConnection c, String id, Throwable failure, String type, String jobId) {
        ProtocolError error = switch (failure) {
            case ProtocolError e -> e;
            case LeaseRefused e -> refused(e);
            case ForbiddenException e -> ProtocolError.forbidden(e.getMessage());
            case OrchestratorException e when e.code().equals("stale_lease") -> ProtocolError.from(e).with("reason", "expired");
            case OrchestratorException e when e.status() == 503 && e.code().equals("overloaded") -> ProtocolError.of("unavailable",
                    "the server is overloaded (every database connection stayed busy); the message was not processed. Send it"
                            + " again with backoff", true)
                    .with("retry_after_ms", 1000).with("reason", "overloaded");
            case OrchestratorException e when e.status() == 503 -> ProtocolError.of("unavailable", "the database is unreachable or did"
                    + " not answer in time; the message was not processed. Send it again with backoff", true)
                    .with("retry_after_ms", 1000);
            case OrchestratorException e when e.isClientError() -> ProtocolError.from(e);
            default -> {
                String errorId = UUID.randomUUID().toString();
                log.error("connection {}: {} failed (error id {})", c, type, errorId, failure);
                yield ProtocolError.of("internal_error", "the server failed to handle this message; its log has the cause"
                        + " under error id " + errorId, true).with("error_id", errorId);
            }
        };
        if ("register".equals(type) && error.closeCode() == 0 && SERVER_SIDE.contains(error.code())) {
            // The register failed on our side: an unregistered connection is of no use, so close
            // it as "try again later" (1013) or "server error" (1011), and the robot reconnects
            // at once rather than taking the failure as its own.
            error = error.thenClose(error.code().equals("internal_error") ? CLOSE_SERVER_ERROR : CLOSE_TRY_AGAIN);
        }
        if (error.code().equals("stale_lease")) {
            metrics.staleReport(RobotMetrics.Transport.WEBSOCKET);
        }
        reply(c, id, error, type, jobId);
    }

    /** A report {@link RobotJobs} refused: its code, with the reason the lease ended and the job's state when known. */
    private static ProtocolError refused(LeaseRefused e) {
        ProtocolError error = ProtocolError.of(e.code(), e.getMessage(), false);
        e.reason().ifPresent(r -> error.with("reason", r));
        e.jobState().ifPresent(s -> error.with("job_state", s));
        return error;
    }

    void onBinary(RobotConnection c) {
        metrics.websocketMessage(RobotMetrics.Direction.IN, RobotMetrics.INVALID);
        reply(c, null, ProtocolError.invalid("$", "binary messages are not used; send one JSON object per text message"), null, null);
    }

    private ServerMessage route(RobotConnection c, Incoming in) {
        String type = in.type;
        if (type.equals("register")) {
            return registrar.register(c, in);
        }
        if (!JOB_TYPES.contains(type) && !type.equals("heartbeat") && !type.equals("goodbye")) {
            throw ProtocolError.of("unknown_type", "unknown message type \"" + type + "\" in protocol version "
                    + ChannelSettings.PROTOCOL_VERSION, false);
        }
        if (!c.isRegistered()) {
            throw ProtocolError.of("not_registered", "send register first; " + type + " is accepted only after registered", true);
        }
        return switch (in.decode(RobotMessage.class)) {
            case RobotMessage.Heartbeat m -> heartbeat(c, m);
            case RobotMessage.Goodbye m -> {
                Check.text("reason", m.reason(), 200);
                c.sayGoodbye();
                yield ServerMessage.Ack.of(m.id());
            }
            case RobotMessage.JobReport m -> jobs.handle(c, m);
            case RobotMessage.Register m -> throw new IllegalStateException("register is answered by the registrar");
        };
    }

    private ServerMessage.Ack heartbeat(RobotConnection c, RobotMessage.Heartbeat m) {
        Optional<Double> cpu = Check.number("cpu_percent", m.cpuPercent());
        Optional<Double> memory = Check.number("memory_percent", m.memoryPercent());
        Optional<Long> memoryMb = Check.integer("memory_mb", m.memoryMb());
        List<Parts.JobLease> listed = Check.objects("jobs", m.jobs(), 256)
                .orElseThrow(() -> ProtocolError.invalid("jobs", "is required (may be [])"));
        Map<String, String> held = new LinkedHashMap<>();
        for (int i = 0; i < listed.size(); i++) {
            held.put(Check.requiredText(Check.item("jobs", i, "job_id"), listed.get(i).jobId(), 64),
                    Check.requiredText(Check.item("jobs", i, "lease_token"), listed.get(i).leaseToken(), 64));
        }
        String robotId = c.robotId();
        c.heartbeat(clock.instant());
        Robot.Metrics metrics = new Robot.Metrics(cpu, memory, memoryMb.map(Long::doubleValue), Optional.of(held.size()));
        RobotJobs.HeldLeases renewed = committed(robotJobs.heartbeat(robotId, metrics, held, c.actor));
        List<Parts.RenewedLease> leases = renewed.leases().stream().filter(RobotJobs.HeldLease::live)
                .map(l -> new Parts.RenewedLease(l.jobId(), l.token(), l.expiresAt().map(Replies::time).orElse(null)))
                .toList();
        return ServerMessage.Ack.heartbeat(m.id(), Replies.time(renewed.serverTime()), leases, Replies.lost(renewed));
    }

    /** Waits for a group commit on this connection's (virtual) thread; its failure is thrown as itself. */
    private static <T> T committed(java.util.concurrent.CompletableFuture<T> grouped) {
        try {
            return grouped.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void reply(RobotConnection c, String id, ProtocolError e, String type, String jobId) {
        c.outbox.send(Replies.error(id, e, type, jobId));
        if (e.closeCode() != 0) {
            c.outbox.close(e.closeCode(), closeWord(e.code()) + ": " + e.getMessage());
        } else if (!SERVER_SIDE.contains(e.code()) && !c.countError()) {
            String why = "more than " + ChannelSettings.MAX_ERRORS_PER_MINUTE + " errors in one minute on this connection;"
                    + " fix the robot before it reconnects";
            log.warn("closing robot connection {}: {}", c, why);
            c.outbox.send(Replies.error(null, ProtocolError.of("too_many_errors", why, false), null, null));
            c.outbox.close(CLOSE_POLICY, "policy violation: " + why);
        }
    }

    private static String closeWord(String code) {
        return switch (code) {
            case "unsupported_protocol_version" -> "unsupported protocol version";
            case "unavailable", "rate_limited" -> "try again later";
            case "internal_error" -> "server error";
            case "invalid_request" -> "invalid registration";
            default -> code;
        };
    }
}
