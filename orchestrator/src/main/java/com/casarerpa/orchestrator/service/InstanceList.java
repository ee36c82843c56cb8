package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.store.OrchestratorInstances;
import com.casarerpa.protocol.rest.OverviewBodies;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The orchestrator instances on this database ({@code GET /api/v1/instances}): those alive (their
 * pulse row exists, {@link com.casarerpa.orchestrator.store.InstancePulses}) and those gone in the
 * last {@link #GONE_SHOWN}, stopped or silent.
 */
public final class InstanceList {
    /** How long an instance that went stays listed (and its row kept). */
    public static final Duration GONE_SHOWN = Duration.ofDays(1);

    private final OrchestratorInstances instances;
    private final Clock clock;

    public InstanceList(OrchestratorInstances instances, Clock clock) {
        this.instances = instances;
        this.clock = clock;
    }

    /** Oldest start first. */
    public List<OverviewBodies.Instance> list() {
        return instances.list(clock.instant().minus(GONE_SHOWN)).stream().map(i -> new OverviewBodies.Instance(i.id(),
                i.host().orElse(null), i.pid().orElse(null), i.version().orElse(null), i.alive() ? "alive" : "gone", i.startedAt(),
                i.lastPulseAt().orElse(null), i.goneAt().orElse(null), i.goneReason().orElse(null))).toList();
    }
}
