package com.casarerpa.orchestrator.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * One named move of a job between states: from any of {@code from} to {@code to}. It exists only
 * for edges of {@link JobState}'s table: constructing one for any other edge throws, so a
 * statement built from it cannot write a move the table forbids.
 */
public record JobTransition(String name, Set<JobState> from, JobState to) {
    public JobTransition {
        if (from.isEmpty()) {
            throw new IllegalArgumentException("transition " + name + " names no state it starts from");
        }
        from = Set.copyOf(EnumSet.copyOf(from));
        for (JobState f : from) {
            if (!f.canBecome(to)) {
                throw new IllegalArgumentException("transition " + name + ": " + f.wireName() + " → " + to.wireName()
                        + " is not an edge of JobState's table");
            }
        }
    }

    public static JobTransition of(String name, JobState to, JobState first, JobState... more) {
        return new JobTransition(name, EnumSet.of(first, more), to);
    }

    /** True when this transition may move a job that is in {@code state} now. */
    public boolean appliesTo(JobState state) {
        return from.contains(state);
    }
}
