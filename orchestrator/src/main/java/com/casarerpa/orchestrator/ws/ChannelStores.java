package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.service.Robots;
import com.casarerpa.orchestrator.store.DispatchQueries;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobLogs;
import com.casarerpa.orchestrator.store.JobPayloads;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.RobotLeases;
import com.casarerpa.orchestrator.store.RobotStore;

/** The services and stores of robots and jobs that the robot channel works with, built once in {@code app}. */
public record ChannelStores(Robots robots, RobotStore robotStore, JobStore jobs, JobClaims claims, JobReports reports,
        JobPayloads payloads, JobLogs logs, RobotLeases leases, DispatchQueries queries) {}
