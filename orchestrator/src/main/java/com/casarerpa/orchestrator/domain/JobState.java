package com.casarerpa.orchestrator.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The states of a job and the one table of transitions between them. Every statement that changes
 * a job's state is built from a {@link JobTransition}, which cannot be constructed for an edge
 * this table lacks; its SET and WHERE clauses come from it ({@code store/JobTransitions}).
 *
 * <pre>
 * pending ──claim──> assigned ──started──> running ──> succeeded | failed | cancelled | timed_out
 *    ^                  │                     │
 *    └──── lease expired / failed with retries left / released ────┘
 * pending ──cancel──> cancelled
 * pending ──take back──> assigned | running   (a robot back after its lease expired, nobody claimed it since)
 * failed | cancelled | timed_out ──operator retry──> pending
 * </pre>
 */
public enum JobState {
    PENDING,
    ASSIGNED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    TIMED_OUT;

    private static final Map<JobState, Set<JobState>> NEXT = Map.of(
            // RUNNING: a robot that comes back takes back a lease that expired while the job ran
            // (RobotLeases.takeBack), so the run that went on meanwhile counts.
            PENDING, EnumSet.of(ASSIGNED, RUNNING, CANCELLED),
            ASSIGNED, EnumSet.of(RUNNING, PENDING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT),
            RUNNING, EnumSet.of(PENDING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT),
            SUCCEEDED, EnumSet.noneOf(JobState.class),
            FAILED, EnumSet.of(PENDING),
            CANCELLED, EnumSet.of(PENDING),
            TIMED_OUT, EnumSet.of(PENDING));

    /** True when a job in this state may move to {@code next}; a finished job moves only by an explicit retry. */
    public boolean canBecome(JobState next) {
        return NEXT.get(this).contains(next);
    }

    /** Succeeded, failed, cancelled or timed out: nothing runs it any more. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
    }

    /** Held by a robot under a lease. */
    public boolean leased() {
        return this == ASSIGNED || this == RUNNING;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobState> fromWire(String text) {
        for (JobState s : values()) {
            if (s.wireName().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
