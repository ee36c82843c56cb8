package com.casarerpa.orchestrator.events;

import java.util.Objects;
import java.util.Optional;

/**
 * What changed, as the code that changed it knows it: a job's state, a robot's status or
 * connection, or a schedule's fire. {@link ChangeEvents} adds when and where it happened ({@link ChangeEvent}).
 *
 * @param kind    what kind of thing changed
 * @param subject its id (the job's, the robot's, the schedule's)
 * @param from    the state or status before ({@code "pending"}, {@code "offline"}, …); empty when
 *                the thing is new (a job just submitted, a robot's first registration) or for a fire;
 *                equal to {@code to} when a robot's connection changed, not its status
 * @param to      the state or status after; for a schedule fire its outcome, {@code "started"} or
 *                {@code "skipped"}
 * @param job     for a schedule fire, the job it started; empty otherwise
 * @param folder  the folder of the job or schedule when the code that changed it knew it without
 *                another query (the live feed finds it otherwise); empty for a robot
 */
public record Change(Kind kind, String subject, Optional<String> from, String to, Optional<String> job,
        Optional<String> folder) {
    public enum Kind {
        /** A job's state; {@code LOG}: a batch of a job's log lines was stored ({@code to}: the id of its newest line). */
        JOB, ROBOT, SCHEDULE, LOG;

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
        Objects.requireNonNull(folder, "folder");
    }

    /** A change whose folder the publisher does not know. */
    public Change(Kind kind, String subject, Optional<String> from, String to, Optional<String> job) {
        this(kind, subject, from, to, job, Optional.empty());
    }

    /** This change, in folder {@code folderId}. */
    public Change inFolder(String folderId) {
        return new Change(kind, subject, from, to, job, Optional.of(folderId));
    }

    /** A job moved from state {@code from} (empty: it was just created) to {@code to}; wire names ({@code "timed_out"}). */
    public static Change job(String jobId, Optional<String> from, String to) {
        return new Change(Kind.JOB, jobId, from, to, Optional.empty());
    }

    /** As {@link #job(String, Optional, String)}, in a known folder. */
    public static Change job(String jobId, Optional<String> from, String to, String folderId) {
        return job(jobId, from, to).inFolder(folderId);
    }

    /** Log lines of job {@code jobId} (in {@code folderId}) were stored; {@code lastLineId}: the id of the newest. */
    public static Change log(String jobId, String folderId, long lastLineId) {
        return new Change(Kind.LOG, jobId, Optional.empty(), Long.toString(lastLineId), Optional.empty(), Optional.of(folderId));
    }

    /** A robot's status changed ({@code "online"}, {@code "busy"}, {@code "offline"}); {@code from} is empty for a new robot. */
    public static Change robot(String robotId, Optional<String> from, String to) {
        return new Change(Kind.ROBOT, robotId, from, to, Optional.empty());
    }

    /**
     * A robot's WebSocket connection opened or closed (or moved to another instance) while its
     * status stayed {@code status}: {@code from} and {@code to} both say it. Readers refetch the
     * robot for its connection.
     */
    public static Change robotConnection(String robotId, String status) {
        return robot(robotId, Optional.of(status), status);
    }

    /** A schedule fired: {@code "started"} with the job it created, or {@code "skipped"} without one. */
    public static Change scheduleFired(String scheduleId, Optional<String> job) {
        return new Change(Kind.SCHEDULE, scheduleId, Optional.empty(), job.isPresent() ? "started" : "skipped", job);
    }

    /** As {@link #scheduleFired(String, Optional)}, for a schedule in {@code folderId}. */
    public static Change scheduleFired(String scheduleId, Optional<String> job, String folderId) {
        return scheduleFired(scheduleId, job).inFolder(folderId);
    }
}
