package com.casarerpa.orchestrator.events;

import java.time.Instant;

/**
 * One committed change as subscribers receive it.
 *
 * @param change   what changed
 * @param at       the clock of the instance that made the change, read when it published the
 *                 change, just after its transaction committed (not the database's commit time)
 * @param instance the id of that instance ({@code i_<pid>_<random>}, as in robots' connection records)
 * @param remote   true when the change was made on another instance and arrived through the database
 * @param seq      its place in this instance's stream: {@link ChangeEvents} numbers every event it
 *                 delivers, local or remote, 1, 2, 3, … in the order its subscribers get them
 *                 (0 until delivered)
 */
public record ChangeEvent(Change change, Instant at, String instance, boolean remote, long seq) {
    /** An event not delivered yet. */
    public ChangeEvent(Change change, Instant at, String instance, boolean remote) {
        this(change, at, instance, remote, 0);
    }

    public Change.Kind kind() {
        return change.kind();
    }

    public String subject() {
        return change.subject();
    }
}
