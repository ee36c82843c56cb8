package com.casarerpa.engine.run;

import com.casarerpa.engine.Outcome;

/** The run must end now: cancelled, or past its deadline. */
final class RunStopped extends Exception {
    private final Outcome outcome;

    RunStopped(Outcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    Outcome outcome() {
        return outcome;
    }
}
