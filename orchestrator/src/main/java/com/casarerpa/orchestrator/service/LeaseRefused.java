package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;
import java.util.Optional;

/**
 * A robot's report under a lease was refused and changed nothing: {@code code} says why in the
 * words of the robot protocols ({@code not_found}: no such job; {@code stale_lease}: the lease is
 * not live, {@code reason} how it ended; {@code conflict}: another final report stands or a stop
 * is under way). {@code jobState}: the job's state now, when known.
 */
public final class LeaseRefused extends OrchestratorException {
    private final Optional<String> reason;
    private final Optional<String> jobState;

    public LeaseRefused(String code, String message, Optional<String> reason, Optional<String> jobState) {
        super("not_found".equals(code) ? 404 : 409, code, false, message, null);
        this.reason = reason;
        this.jobState = jobState;
    }

    public Optional<String> reason() {
        return reason;
    }

    public Optional<String> jobState() {
        return jobState;
    }
}
