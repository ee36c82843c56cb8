package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.store.StoreException;
import com.casarerpa.orchestrator.tls.CertificateProblem;
import java.net.BindException;
import java.util.function.Supplier;

/** Turns the ways a start can fail into one line that says what to do. */
final class StartFailures {
    private StartFailures() {}

    static <T> T explain(Supplier<T> start, OrchestratorSettings settings) {
        try {
            return start.get();
        } catch (StoreException | CertificateProblem e) {
            throw new CommandFailure("cannot start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    OrchestratorSettings.Server s = settings.orchestrator();
                    throw new CommandFailure("cannot start: port " + s.port() + " on " + s.host()
                            + " is already in use (another orchestrator?); choose another with --port or ORCHESTRATOR_PORT", e);
                }
            }
            throw e;
        }
    }
}
