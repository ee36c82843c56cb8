package com.casarerpa.orchestrator.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The states of a job and the one table of transitions between them. Every change of a job's
 * state goes through {@link #canBecome(JobState)}; the store's statements only ever move a row
 * along an edge of this table (their WHERE clauses name the allowed "from" states).
 *
 * <pre>
 * pending ──claim──> assigned ──started──> running ──> succeeded | failed | cancelled | timed_out
 *    ^                  │                     │
 *    └──── lease expired / failed with retries left / released ────┘
 * pending ──cancel──> cancelled
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
            PENDING, EnumSet.of(ASSIGNED, CANCELLED),
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

    /** The states a row may be in for a move to {@code next}, for the WHERE clause of that move. */
    public static Set<JobState> from(JobState next) {
        Set<JobState> out = EnumSet.noneOf(JobState.class);
        for (JobState s : values()) {
            if (s.canBecome(next)) {
                out.add(s);
            }
        }
        return out;
    }
}
