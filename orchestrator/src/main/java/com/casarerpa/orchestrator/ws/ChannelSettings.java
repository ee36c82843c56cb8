package com.casarerpa.orchestrator.ws;

import java.time.Duration;

/**
 * The timings of the robot channel (docs/websocket-api.md, "Timing rules").
 *
 * @param visibilityTimeoutSeconds a new lease, and each renewal, lasts this long ({@code queue.visibility_timeout_seconds})
 * @param poll                     how often the dispatcher looks for work when nothing woke it
 */
public record ChannelSettings(int heartbeatIntervalSeconds, int heartbeatTimeoutSeconds, int visibilityTimeoutSeconds,
        int cancelGraceSeconds, Duration registerDeadline, Duration keyRecheck, Duration drainClose, Duration poll) {
    public static final int PROTOCOL_VERSION = 1;
    /** The largest message a robot may send: 1 MiB. Jetty closes with 1009 above it. */
    public static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    /** A job_cancel not confirmed is sent again after this long. */
    public static final Duration CANCEL_RESEND = Duration.ofSeconds(10);
    /** After a job_release, the robot gets no new work for this long, so it is not handed the same job back at once. */
    public static final Duration RELEASE_PAUSE = Duration.ofSeconds(30);

    /** The defaults of the protocol, with the configured lease length. */
    public static ChannelSettings defaults(int heartbeatIntervalSeconds, int heartbeatTimeoutSeconds, int visibilityTimeoutSeconds) {
        return new ChannelSettings(heartbeatIntervalSeconds, heartbeatTimeoutSeconds, visibilityTimeoutSeconds, 30,
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofMillis(250));
    }

    /** Jetty's idle timeout: above the heartbeat timeout, so the protocol's 4008 decides, not Jetty. */
    Duration idleTimeout() {
        return Duration.ofSeconds(heartbeatTimeoutSeconds + 15L);
    }
}
