package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A bulk action on the jobs a filter matched when it started: {@code total} jobs, of which
 * {@code done} were acted on, {@code skipped} were not (the caller may not act in their folder,
 * or their state no longer allowed it) and {@code failed} met an unexpected error. {@code filter}
 * is the filter as given (JSON text); {@code creator} is who started it ({@code kind:id}),
 * {@code createdBy} the same for people ({@link Actor#describe()}). {@code error} says why a
 * failed batch stopped.
 */
public record JobBatch(String id, Action action, String filter, State state, int total, int done, int skipped, int failed,
        Optional<String> error, String creator, String createdBy, Instant createdAt, Instant updatedAt, Optional<Instant> finishedAt) {

    /** What a batch does to each job, the permission it takes in the job's folder, and the states it applies to. */
    public enum Action {
        RETRY("retry", Permission.JOB_RETRY, EnumSet.of(JobState.FAILED, JobState.CANCELLED, JobState.TIMED_OUT)),
        CANCEL("cancel", Permission.JOB_CANCEL, EnumSet.of(JobState.PENDING, JobState.ASSIGNED, JobState.RUNNING));

        private final String wireName;
        private final Permission permission;
        private final Set<JobState> appliesTo;

        Action(String wireName, Permission permission, Set<JobState> appliesTo) {
            this.wireName = wireName;
            this.permission = permission;
            this.appliesTo = appliesTo;
        }

        public String wireName() {
            return wireName;
        }

        public Permission permission() {
            return permission;
        }

        /** The states of the jobs it acts on. */
        public Set<JobState> appliesTo() {
            return Set.copyOf(appliesTo);
        }

        public static Optional<Action> fromWire(String name) {
            for (Action a : values()) {
                if (a.wireName.equals(name)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    /** Running until every job was tried (succeeded), it stopped (failed) or its creator cancelled it. */
    public enum State {
        RUNNING, SUCCEEDED, FAILED, CANCELLED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static State fromWire(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
