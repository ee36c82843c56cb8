package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.service.RobotJobs.Reported;
import com.casarerpa.orchestrator.store.RobotLeases;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What {@link RobotJobs} answers a report whose lease is not (or no longer) live, the same for
 * both transports: {@code not_found} for an unknown job, {@code stale_lease} with the lease's end
 * reason and the job's state, {@code conflict} for a second, different final report, and a
 * duplicate's answer for the same final report sent again.
 */
final class LeaseVerdicts {
    private LeaseVerdicts() {}

    /** {@code lease} if it is this robot's; otherwise refused: the job or the lease is unknown. */
    static RobotLeases.LeaseState known(String robotId, String jobId, String token, RobotLeases.LeaseState lease,
            BooleanSupplier jobExists) {
        if (lease == null || !lease.robotId().equals(robotId)) {
            if (!jobExists.getAsBoolean()) {
                throw new LeaseRefused("not_found", "job " + jobId + " does not exist; drop the report and stop the job",
                        Optional.empty(), Optional.empty());
            }
            throw stale(jobId, token, "unknown", "the server knows no lease " + token + " of job " + jobId + " for this robot",
                    Optional.empty());
        }
        return lease;
    }

    static LeaseRefused stale(String jobId, String token, String reason, String why, Optional<String> jobState) {
        return new LeaseRefused("stale_lease", "lease " + token + " of job " + jobId + " is not live (" + why
                + "); the report was not applied", Optional.of(reason), jobState);
    }

    static LeaseRefused stale(RobotLeases.LeaseState l) {
        return stale(l.jobId(), l.token(), l.endReason(), "it ended: " + l.endReason(), Optional.of(l.jobState()));
    }

    static void requireLive(RobotLeases.LeaseState l) {
        if (!l.live()) {
            throw stale(l);
        }
    }

    /** A final report under a lease that already ended: the same one again (a duplicate), another one (conflict), or too late. */
    static Reported repeated(RobotLeases.LeaseState l, String outcome) {
        if (l.reported() && l.outcome().orElse("").equals(outcome)) {
            return new Reported(JobState.fromWire(l.jobState()).orElseThrow(), true, Optional.empty());
        }
        if (l.reported()) {
            throw new LeaseRefused("conflict", "job " + l.jobId() + " already has a final report under lease " + l.token()
                    + " (" + l.outcome().orElse("") + "); the first report stands", Optional.empty(), Optional.of(l.jobState()));
        }
        throw stale(l);
    }
}
