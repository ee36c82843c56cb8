package com.casarerpa.orchestrator.events;

import java.util.Objects;
import java.util.Optional;

/**
 * What changed, as the code that changed it knows it: a job's state, a robot's status, or a
 * schedule's fire. {@link ChangeEvents} adds when and where it happened ({@link ChangeEvent}).
 *
 * @param kind    what kind of thing changed
 * @param subject its id (the job's, the robot's, the schedule's)
 * @param from    the state or status before ({@code "pending"}, {@code "offline"}, …); empty when
 *                the thing is new (a job just submitted, a robot's first registration) or for a fire
 * @param to      the state or status after; for a schedule fire its outcome, {@code "started"} or
 *                {@code "skipped"}
 * @param job     for a schedule fire, the job it started; empty otherwise
 */
public record Change(Kind kind, String subject, Optional<String> from, String to, Optional<String> job) {
    public enum Kind {
        JOB, ROBOT, SCHEDULE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(job, "job");
    }

    /** A job moved from state {@code from} (empty: it was just created) to {@code to}; wire names ({@code "timed_out"}). */
    public static Change job(String jobId, Optional<String> from, String to) {
        return new Change(Kind.JOB, jobId, from, to, Optional.empty());
    }

    /** A robot's status changed ({@code "online"}, {@code "busy"}, {@code "offline"}); {@code from} is empty for a new robot. */
    public static Change robot(String robotId, Optional<String> from, String to) {
        return new Change(Kind.ROBOT, robotId, from, to, Optional.empty());
    }

    /** A schedule fired: {@code "started"} with the job it created, or {@code "skipped"} without one. */
    public static Change scheduleFired(String scheduleId, Optional<String> job) {
        return new Change(Kind.SCHEDULE, scheduleId, Optional.empty(), job.isPresent() ? "started" : "skipped", job);
    }
}
