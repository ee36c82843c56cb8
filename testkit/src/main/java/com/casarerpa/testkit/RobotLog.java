package com.casarerpa.testkit;

import com.casarerpa.protocol.ws.Parts;
import com.casarerpa.protocol.ws.ServerMessage;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** {@link RobotEvents} kept for a test to check: what the robots ran, the answers to their final reports, their registrations. */
public final class RobotLog implements RobotEvents {
    /** One run of a job on a robot: from {@code job_assign} until it finished or its lease was lost. */
    public record Execution(String robot, String jobId, int attempt, long startNanos, long endNanos) {}

    /**
     * What the server said about a {@code job_completed} under {@code token}: {@code ack} (duplicate
     * or not), {@code error} (with its code), or {@code reported}: the lease ended because the
     * report was applied, its ack lost with the connection.
     */
    public record FinalAnswer(String robot, String jobId, String token, String type, boolean duplicate, String code) {
        /** Whether the report was applied under this lease. */
        public boolean applied() {
            return type.equals("reported") || (type.equals("ack") && !duplicate);
        }
    }

    /** A {@code registered} a robot received on its {@code connection}-th connection (1 for the first). */
    public record Registration(String robot, int connection, ServerMessage.Registered registered) {}

    private final Queue<Execution> executions = new ConcurrentLinkedQueue<>();
    private final Queue<FinalAnswer> answers = new ConcurrentLinkedQueue<>();
    private final Queue<Registration> registrations = new ConcurrentLinkedQueue<>();

    public List<Execution> executions() {
        return List.copyOf(executions);
    }

    public List<FinalAnswer> answers() {
        return List.copyOf(answers);
    }

    public List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    /**
     * The job ids the robots that {@code robots} accepts listed again when they registered on a
     * later connection, as the server answered them: resumed, or lost.
     */
    public List<String> reclaimed(Predicate<String> robots) {
        return registrations.stream().filter(r -> robots.test(r.robot()) && r.connection() > 1).map(Registration::registered)
                .flatMap(reg -> Stream.concat(
                        reg.resumed() == null ? Stream.empty() : reg.resumed().stream().map(Parts.ResumedLease::jobId),
                        reg.lost() == null ? Stream.empty() : reg.lost().stream().map(Parts.LostLease::jobId)))
                .toList();
    }

    @Override
    public void ran(String robot, String jobId, int attempt, long startNanos, long endNanos) {
        executions.add(new Execution(robot, jobId, attempt, startNanos, endNanos));
    }

    @Override
    public void completed(String robot, String jobId, String leaseToken, boolean duplicate) {
        answers.add(new FinalAnswer(robot, jobId, leaseToken, "ack", duplicate, null));
    }

    @Override
    public void refused(String robot, String jobId, String leaseToken, String code) {
        answers.add(new FinalAnswer(robot, jobId, leaseToken, "error", false, code));
    }

    @Override
    public void reported(String robot, String jobId, String leaseToken) {
        answers.add(new FinalAnswer(robot, jobId, leaseToken, "reported", false, null));
    }

    @Override
    public void registered(String robot, int connection, ServerMessage.Registered registered) {
        registrations.add(new Registration(robot, connection, registered));
    }
}
