package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.FleetClaim;
import com.casarerpa.orchestrator.domain.JobAssignment;
import com.casarerpa.orchestrator.domain.RobotLoad;
import com.casarerpa.orchestrator.domain.StoppingJob;
import com.casarerpa.orchestrator.store.DispatchQueries;
import com.casarerpa.orchestrator.store.JobClaims;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The queue as a dispatcher that pushes work to connected robots sees it ({@code ws/Dispatcher}):
 * is anything runnable, how loaded are its robots, which of their jobs are marked to stop; one
 * claim for a whole fleet of robots that offer the same; and the jobs of a claim whose answer
 * was lost. This is the server's throughput path: each call is exactly one store call (the same
 * statements, no re-read, the store's lists handed on as they are).
 */
public final class Dispatching {
    private final JobClaims claims;
    private final DispatchQueries queries;

    public Dispatching(JobClaims claims, DispatchQueries queries) {
        this.claims = claims;
        this.queries = queries;
    }

    /** How many pending jobs may be dispatched now (their retry delay is over), up to {@code cap}. */
    public int runnable(int cap) {
        return queries.runnable(cap);
    }

    /** The load of each of these robots that exists, by robot id (a deleted robot is left out). */
    public Map<String, RobotLoad> loads(Collection<String> robotIds) {
        return queries.loads(robotIds);
    }

    /** The jobs of these robots that are marked to stop (cancelled or timed out), which their robots must be told of. */
    public List<StoppingJob> stopping(Collection<String> robotIds) {
        return queries.stopping(robotIds);
    }

    /** Leases up to one job per slot of {@code fleet}, in claim order, with what each robot needs to run its job. */
    public List<JobAssignment> claim(FleetClaim fleet) {
        return claims.claimForFleet(fleet);
    }

    /**
     * The jobs a fleet claim leased under these tokens (chosen for it, {@link FleetClaim#tokens()})
     * that no robot has started yet, their leases renewed for {@code leaseSeconds}: what to send
     * when the claim failed on the connection to the database but committed all the same.
     */
    public List<JobAssignment> deliverable(Collection<String> tokens, int leaseSeconds) {
        return claims.deliverable(tokens, leaseSeconds);
    }
}
