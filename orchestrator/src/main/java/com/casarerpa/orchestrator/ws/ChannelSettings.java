package com.casarerpa.orchestrator.ws;

import java.time.Duration;

/**
 * The timings and limits of the robot channel (docs/websocket-api.md, "Timing rules"), from the
 * {@code robots.*} configuration keys and {@code queue.visibility_timeout_seconds}.
 *
 * @param visibilityTimeoutSeconds a new lease, and each renewal, lasts this long
 * @param registerDeadline         from the upgrade to {@code register}; later: close 1008
 * @param keyRecheck               a connection's key is checked again this often; revoked: close 4001
 * @param drainClose               after {@code drain}, connections still open are closed with 1001
 * @param poll                     how often the dispatcher looks for work when nothing woke it
 * @param releasePause             after a {@code job_release}, the robot gets no new work for this long
 * @param cancelResend             an unconfirmed {@code job_cancel} is sent again after this long
 * @param messagesPerSecond        the sustained message rate of one connection ({@code rate_limited} above it)
 * @param messageBurst             messages one connection may send at once above that rate
 * @param maxRegistering           connections open but not registered yet (waiting for their turn to register
 *                                 included) that this instance accepts at once; a handshake above it is
 *                                 answered 503 with {@code Retry-After}
 */
public record ChannelSettings(int heartbeatIntervalSeconds, int heartbeatTimeoutSeconds, int visibilityTimeoutSeconds,
        int cancelGraceSeconds, Duration registerDeadline, Duration keyRecheck, Duration drainClose, Duration poll,
        Duration releasePause, Duration cancelResend, int messagesPerSecond, int messageBurst, int maxRegistering) {
    public static final int PROTOCOL_VERSION = 1;
    /** The largest message a robot may send: 1 MiB. Jetty closes with 1009 above it. */
    public static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    /** More {@code error}s than this in one minute close a connection with 1008 (a robot stuck resending bad messages). */
    public static final int MAX_ERRORS_PER_MINUTE = 100;

    public ChannelSettings {
        if (heartbeatIntervalSeconds < 1 || heartbeatTimeoutSeconds < 3 * heartbeatIntervalSeconds) {
            throw new IllegalArgumentException("heartbeat timeout " + heartbeatTimeoutSeconds
                    + " s must be at least 3 heartbeat intervals of " + heartbeatIntervalSeconds + " s");
        }
        if (messagesPerSecond < 1 || messageBurst < 1) {
            throw new IllegalArgumentException("message rate and burst must be at least 1");
        }
        if (maxRegistering < 1) {
            throw new IllegalArgumentException("connections registering at once must be at least 1, got " + maxRegistering);
        }
    }

    /** The protocol's defaults (docs/websocket-api.md), with the configured lease length. */
    public static ChannelSettings defaults(int visibilityTimeoutSeconds) {
        return new ChannelSettings(5, 30, visibilityTimeoutSeconds, 30, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(10), 200, 1000, 1000);
    }

    /** Jetty's idle timeout: above the heartbeat timeout, so the protocol's 4008 decides, not Jetty. */
    Duration idleTimeout() {
        return Duration.ofSeconds(heartbeatTimeoutSeconds + 15L);
    }
}
