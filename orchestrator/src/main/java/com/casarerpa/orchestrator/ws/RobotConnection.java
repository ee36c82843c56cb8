package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.protocol.ws.ServerMessage;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open robot connection: who authenticated it, which robot registered on it and what that
 * robot offers, and what the server has pushed to it. Its incoming messages are handled one at
 * a time on Jetty's thread for it; the dispatcher reads the volatile fields from its own thread.
 */
final class RobotConnection {
    /** What a robot said about itself in {@code register}. */
    record Offer(String robotId, Set<String> capabilities, Optional<List<String>> nodeTypes, String environment, int slots) {}

    final String connectionId;
    final Actor actor;
    final Outbox outbox;
    final Instant openedAt;
    private final String credential;
    private final AtomicLong serverIds = new AtomicLong();
    /** Counted among the connections registering on this instance ({@link Connections#registering()}). */
    private final AtomicBoolean registering = new AtomicBoolean(true);
    /** Jobs whose job_cancel was sent, and when: re-sent while unconfirmed. */
    final Map<String, Instant> cancelsSent = new ConcurrentHashMap<>();

    /** Messages this connection may send: {@code rate_limited} when empty. */
    private final Bucket messages;
    /** When (System.nanoTime()) its latest errors happened, at most {@link ChannelSettings#MAX_ERRORS_PER_MINUTE}. */
    private final ArrayDeque<Long> errors = new ArrayDeque<>();

    /** Reports that end an attempt (and so may free a slot) whose answer is not queued yet. Guarded by this. */
    private int endingReports;
    /** Assignments that came while {@link #endingReports} was not 0: they go out after those answers. Guarded by this. */
    private final List<ServerMessage> heldAssignments = new java.util.ArrayList<>();

    /** The grouped reports of this connection not answered yet (all of them, in order). */
    private volatile CompletableFuture<?> reports = CompletableFuture.completedFuture(null);
    private volatile Offer offer;
    private volatile boolean registerReceived;
    /** Since when the server has been handling a message of this robot (null while idle): not the robot's silence. */
    private volatile Instant handlingSince;
    private volatile boolean goodbye;
    private volatile boolean draining;
    private volatile Instant lastHeartbeat;
    private volatile Instant lastKeyCheck;
    private volatile Instant pausedUntil = Instant.MIN;

    RobotConnection(String connectionId, Actor actor, String credential, Outbox outbox, Instant openedAt,
            ChannelSettings settings) {
        this.connectionId = connectionId;
        this.messages = Bucket.builder().addLimit(limit -> limit.capacity(settings.messageBurst())
                .refillGreedy(settings.messagesPerSecond(), Duration.ofSeconds(1))).build();
        this.actor = actor;
        this.credential = credential;
        this.outbox = outbox;
        this.openedAt = openedAt;
        this.lastHeartbeat = openedAt;
        this.lastKeyCheck = openedAt;
    }

    /**
     * Takes one message from the connection's rate budget: 0 when it may be processed, else the
     * milliseconds until it may be sent again.
     */
    long takeMessage() {
        ConsumptionProbe probe = messages.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toMillis());
    }

    /** Counts an error the robot caused; false when that makes more than the protocol allows within one minute. */
    synchronized boolean countError() {
        long now = System.nanoTime();
        while (!errors.isEmpty() && now - errors.peekFirst() > Duration.ofMinutes(1).toNanos()) {
            errors.pollFirst();
        }
        if (errors.size() >= ChannelSettings.MAX_ERRORS_PER_MINUTE) {
            return false;
        }
        errors.addLast(now);
        return true;
    }

    /** A grouped report was queued: {@code answered} completes once it is answered. Called on the connection's thread. */
    void afterReports(CompletableFuture<?> answered) {
        reports = CompletableFuture.allOf(reports, answered);
    }

    /** Waits until every grouped report queued so far is answered. */
    void awaitReports() {
        try {
            reports.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            // Its answer (an error) went to the robot already.
        }
    }

    /**
     * A report that ends an attempt ({@code job_completed}, {@code job_failed}, …) is about to be
     * applied: its commit frees a slot, and a {@code job_assign} for that slot must not reach the
     * robot before the report's answer. Each call is followed by one {@link #reportAnswered()}.
     */
    synchronized void reportEnding() {
        endingReports++;
    }

    /** The answer (ack or error) of a report of {@link #reportEnding()} is queued: held assignments follow it. */
    synchronized void reportAnswered() {
        endingReports--;
        if (endingReports == 0) {
            heldAssignments.forEach(outbox::send);
            heldAssignments.clear();
        }
    }

    /**
     * Sends a {@code job_assign}, or holds it until the answers of the attempt-ending reports in
     * progress are queued: a robot with one slot hears that its job is done before it hears of
     * the next one.
     */
    synchronized void assign(ServerMessage assignment) {
        if (endingReports > 0) {
            heldAssignments.add(assignment);
        } else {
            outbox.send(assignment);
        }
    }

    /** The server's id for its next message on this connection: s-1, s-2, … */
    String nextServerId() {
        return "s-" + serverIds.incrementAndGet();
    }

    /** Its {@code register} arrived: the register deadline is met, however long the server takes to answer it. */
    void registerReceived() {
        registerReceived = true;
    }

    /** True the first time only: it stops counting as registering. */
    boolean endRegistering() {
        return registering.getAndSet(false);
    }

    boolean hasSentRegister() {
        return registerReceived;
    }

    void registered(Offer offer, Instant now) {
        this.offer = offer;
        this.lastHeartbeat = now;
    }

    Optional<Offer> offer() {
        return Optional.ofNullable(offer);
    }

    String robotId() {
        return offer == null ? null : offer.robotId();
    }

    boolean isRegistered() {
        return offer != null;
    }

    /** May the dispatcher give it new work now? */
    boolean acceptsWork(Instant now) {
        return offer != null && !goodbye && !draining && !outbox.closing() && !now.isBefore(pausedUntil);
    }

    void sayGoodbye() {
        goodbye = true;
    }

    boolean saidGoodbye() {
        return goodbye;
    }

    void drain() {
        draining = true;
    }

    void pauseUntil(Instant until) {
        pausedUntil = until;
    }

    /** The server starts handling one of its messages. */
    void handlingStarts(Instant now) {
        handlingSince = now;
    }

    /**
     * The server is done with the message: the time it took does not count as the robot's
     * silence (the server read nothing from it meanwhile, waiting for the database, say), so the
     * last heartbeat moves forward by that much.
     */
    void handlingEnds(Instant now) {
        Instant since = handlingSince;
        handlingSince = null;
        if (since != null && now.isAfter(since)) {
            Instant credited = lastHeartbeat.plus(Duration.between(since, now));
            lastHeartbeat = credited.isAfter(now) ? now : credited;
        }
    }

    /** Silent past {@code timeout}: no heartbeat for that long, the server's own handling time not counted. */
    boolean silentFor(Duration timeout, Instant now) {
        return handlingSince == null && now.isAfter(lastHeartbeat.plus(timeout));
    }

    void heartbeat(Instant now) {
        lastHeartbeat = now;
    }

    Instant lastKeyCheck() {
        return lastKeyCheck;
    }

    void keyChecked(Instant now) {
        lastKeyCheck = now;
    }

    /** The credential the connection opened with, to check it again while it lives; never logged. */
    String credential() {
        return credential;
    }

    @Override
    public String toString() {
        return connectionId + (offer == null ? "" : " (robot " + offer.robotId() + ")");
    }
}
