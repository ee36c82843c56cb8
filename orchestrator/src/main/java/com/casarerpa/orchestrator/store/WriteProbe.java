package com.casarerpa.orchestrator.store;

import java.util.List;

/**
 * "Can the server write now?": statements that need what a robot's heartbeat, a lease renewal
 * and a job submit need (a writable database, the write locks of {@code robots} and
 * {@code jobs}) but change nothing that matters. They block exactly when those writes would
 * block (a {@code LOCK TABLE}, a stalled server), so a caller that bounds them in time learns
 * whether writes are answered in time. Run them in a transaction; rolled back, they write
 * nothing.
 */
final class WriteProbe {
    static final List<String> STATEMENTS = List.of(
            "UPDATE orchestrator_meta SET updated_at = updated_at WHERE meta_key = 'installation_id'",
            "UPDATE robots SET id = id WHERE 1 = 0",
            "UPDATE jobs SET id = id WHERE 1 = 0");

    private WriteProbe() {}
}
