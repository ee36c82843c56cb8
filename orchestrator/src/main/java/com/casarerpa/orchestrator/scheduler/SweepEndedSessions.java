package com.casarerpa.orchestrator.scheduler;

import com.casarerpa.orchestrator.store.PasswordResetStore;
import com.casarerpa.orchestrator.store.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sweep of sign-in leftovers (docs/access.md, "Things to note"): sessions that expired or
 * were ended (logout, a disabled user, a new password) and one-time password tokens that were
 * used, replaced or expired, once they have been over for {@link #KEPT}; nothing reads them
 * after that. Deleted in batches of {@link #BATCH}, each its own statement, so a large backlog
 * (the first sweep of an old installation) never holds many locks or one long transaction.
 * Every instance sweeps; two at once delete each row once.
 */
public final class SweepEndedSessions implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SweepEndedSessions.class);
    /** How long an ended session or spent token stays (for a look at what just happened), then it goes. */
    public static final Duration KEPT = Duration.ofDays(1);
    static final int BATCH = 1000;

    private final SessionStore sessions;
    private final PasswordResetStore passwordResets;
    private final Clock clock;

    public SweepEndedSessions(SessionStore sessions, PasswordResetStore passwordResets, Clock clock) {
        this.sessions = sessions;
        this.passwordResets = passwordResets;
        this.clock = clock;
    }

    @Override
    public void run() {
        Instant before = clock.instant().minus(KEPT);
        int ended = inBatches(before, sessions::deleteEndedBefore);
        int spent = inBatches(before, passwordResets::deleteSpentBefore);
        if (ended > 0 || spent > 0) {
            log.debug("deleted {} ended session(s) and {} spent password token(s), over before {}", ended, spent, before);
        }
    }

    /** Deletes up to {@code limit} rows over before {@code before}; how many. */
    @FunctionalInterface
    private interface Batch {
        int delete(Instant before, int limit);
    }

    private static int inBatches(Instant before, Batch batch) {
        int total = 0;
        int deleted;
        do {
            deleted = batch.delete(before, BATCH);
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
