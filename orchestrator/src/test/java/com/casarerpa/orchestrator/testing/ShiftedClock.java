package com.casarerpa.orchestrator.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Real time, shifted by an offset the test sets (once the server runs, say): a minute boundary made near without waiting for it. */
public final class ShiftedClock extends TestClock {
    private volatile Duration offset = Duration.ZERO;

    /** Shifts the clock so that its next minute boundary comes {@code ahead} from now; returns that boundary. */
    public Instant boundaryIn(Duration ahead) {
        Instant now = Instant.now();
        Instant boundary = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        offset = Duration.between(now, boundary).minus(ahead);
        return boundary;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
