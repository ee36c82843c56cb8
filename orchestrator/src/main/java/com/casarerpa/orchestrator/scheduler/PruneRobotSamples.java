package com.casarerpa.orchestrator.scheduler;

import com.casarerpa.orchestrator.service.InstanceList;
import com.casarerpa.orchestrator.store.OrchestratorInstances;
import com.casarerpa.orchestrator.store.RobotSamples;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sweep of the dashboard's history: robot samples older than {@link #KEPT} and the rows of
 * instances gone for longer than {@link InstanceList#GONE_SHOWN}. Every instance sweeps; two at
 * once delete each row once. At one sample a robot a minute, a sweep every
 * {@link #INTERVAL} deletes about 5 rows a robot (5,000 for a fleet of 1,000), by the
 * {@code robot_samples_pruning} index.
 */
public final class PruneRobotSamples implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PruneRobotSamples.class);
    /** How long a robot's samples are kept. */
    public static final Duration KEPT = Duration.ofDays(1);
    /** How often the sweep runs. */
    public static final Duration INTERVAL = Duration.ofMinutes(5);

    private final RobotSamples samples;
    private final OrchestratorInstances instances;
    private final Clock clock;

    public PruneRobotSamples(RobotSamples samples, OrchestratorInstances instances, Clock clock) {
        this.samples = samples;
        this.instances = instances;
        this.clock = clock;
    }

    @Override
    public void run() {
        int pruned = samples.deleteBefore(clock.instant().minus(KEPT));
        int gone = instances.deleteGoneBefore(clock.instant().minus(InstanceList.GONE_SHOWN));
        if (pruned > 0 || gone > 0) {
            log.debug("deleted {} robot sample(s) and {} gone instance(s)", pruned, gone);
        }
    }
}
