package com.casarerpa.orchestrator.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One schema migration as seen by {@link Migrations#status()}.
 *
 * @param version     e.g. {@code 1}, {@code 1.1}
 * @param description from the file name ({@code V1__orchestrator_meta.sql} → {@code orchestrator meta})
 * @param state       see {@link State}
 * @param installedOn when it was applied (or attempted, for a failed one)
 */
public record MigrationStatus(String version, String description, State state, Optional<Instant> installedOn) {

    public enum State {
        /** Applied successfully. */
        APPLIED,
        /** Known to this build, not applied yet. */
        PENDING,
        /** Applied and failed (only on databases without transactional DDL); needs repair by hand. */
        FAILED,
        /** Applied by a newer build of the orchestrator than this one. */
        FUTURE,
        /** Applied, but this build no longer has it: the build is older, or a migration was removed. */
        MISSING;

        /** Lower-case name for output and JSON. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
