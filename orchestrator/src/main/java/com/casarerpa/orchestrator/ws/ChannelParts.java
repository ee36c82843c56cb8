package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.Robots;
import com.casarerpa.orchestrator.store.JobLogs;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.RobotLeases;
import java.time.Clock;

/**
 * What the message handlers of the channel use, in one place.
 *
 * @param instanceId this instance's id, recorded with each robot's current connection
 */
record ChannelParts(ChannelStores stores, ChannelSettings settings, Clock clock, DispatchSignal dispatch, String instanceId) {
    Robots robots() {
        return stores.robots();
    }

    JobReports reports() {
        return stores.reports();
    }

    JobLogs logs() {
        return stores.logs();
    }

    RobotLeases leases() {
        return stores.leases();
    }

    JobStore jobs() {
        return stores.jobs();
    }
}
