package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.HeldJob;
import com.casarerpa.orchestrator.domain.RobotSample;
import com.casarerpa.orchestrator.store.HeldJobs;
import java.util.List;
import java.util.Map;

/**
 * What the robots page shows beside a robot's row: the jobs it holds (with their workflows'
 * names; one statement for the whole fleet) and its measurements minute by minute. Callers check
 * first that the caller may see the robot ({@link RobotFolders}).
 */
public final class RobotActivity {
    private final HeldJobs held;
    private final RobotSampling sampling;

    public RobotActivity(HeldJobs held, RobotSampling sampling) {
        this.held = held;
        this.sampling = sampling;
    }

    /** Every robot's held jobs, by robot id; a robot holding none is absent. */
    public Map<String, List<HeldJob>> heldJobs() {
        return held.all();
    }

    /** The held jobs of these robots (a page of the fleet), by robot id; a robot holding none is absent. */
    public Map<String, List<HeldJob>> heldJobs(java.util.Collection<String> robotIds) {
        return held.of(robotIds);
    }

    public List<HeldJob> heldJobs(String robotId) {
        return held.of(robotId);
    }

    /**
     * The robot's samples of the last {@code minutes} minutes, oldest first.
     *
     * @throws InvalidInputException ({@code minutes}) outside 1 to {@link RobotSampling#MAX_MINUTES}
     */
    public List<RobotSample> samples(String robotId, int minutes) {
        if (minutes < 1 || minutes > RobotSampling.MAX_MINUTES) {
            throw new InvalidInputException("minutes", "must be from 1 to " + RobotSampling.MAX_MINUTES
                    + " (samples are kept a day), got " + minutes);
        }
        return sampling.last(robotId, minutes);
    }
}
