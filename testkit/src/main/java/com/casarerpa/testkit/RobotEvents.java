package com.casarerpa.testkit;

import com.casarerpa.protocol.ws.ServerMessage;

/**
 * What an {@link AutoRobot} tells about itself, as it happens: on the thread of its connection or
 * of its timer, so an implementation shared by several robots must be thread-safe and quick (the
 * benchmark counts with one). {@code robot} is its {@code robot_id} when it chose one, else its name.
 * Every method does nothing unless overridden.
 */
public interface RobotEvents {
    /** A {@code job_assign} arrived at {@code nanos} ({@link System#nanoTime()}). */
    default void assigned(String robot, String jobId, long nanos) {}

    /** It ran an attempt of a job from {@code startNanos} until it finished or its lease was lost. */
    default void ran(String robot, String jobId, int attempt, long startNanos, long endNanos) {}

    /** The server acked its {@code job_completed} under {@code leaseToken} (the report is committed). */
    default void completed(String robot, String jobId, String leaseToken, boolean duplicate) {}

    /** The server answered its {@code job_completed} under {@code leaseToken} with an error. */
    default void refused(String robot, String jobId, String leaseToken, String code) {}

    /**
     * The lease ended because its {@code job_completed} was applied, the ack lost with the
     * connection (a {@code lost} entry with reason {@code reported}).
     */
    default void reported(String robot, String jobId, String leaseToken) {}

    /** {@code registered} arrived on its {@code connection}-th connection (1 for the first). */
    default void registered(String robot, int connection, ServerMessage.Registered registered) {}

    /**
     * An attempt to open a connection failed: {@code status} is the HTTP status the server
     * refused the handshake with (429, 503, …), or 0 when no server answered.
     */
    default void connectRefused(String robot, int status) {}

    /** The server acked a heartbeat {@code nanos} after it was sent (the benchmark's heartbeat round trip). */
    default void heartbeatAcked(String robot, long nanos) {}

    /** Something went wrong: an {@code error} from the server, a failed send, a connection closed or broken. */
    default void error(String what) {}
}
