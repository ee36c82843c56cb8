package com.casarerpa.orchestrator.cli;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.service.JobSignals;
import com.casarerpa.orchestrator.service.Schedules;
import com.casarerpa.orchestrator.service.TriggerSignals;
import com.casarerpa.orchestrator.service.WorkflowService;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.ScheduleFiring;
import com.casarerpa.orchestrator.store.ScheduleStore;
import java.security.SecureRandom;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The schedule use cases on the configured database, for CLI commands that run without a
 * server. Running servers see the changes at their next scheduler poll (under a second).
 */
final class LocalTriggers {
    private LocalTriggers() {}

    static Schedules schedules(Jdbi jdbi, Database db, WorkflowService workflows, AuditTrail audit,
            OrchestratorSettings settings) {
        Clock clock = Clock.systemUTC();
        ScheduleFiring firing = new ScheduleFiring(jdbi, db.dialect(), new JobStore(jdbi), new JobIds(clock, new SecureRandom()),
                clock, settings.scheduler().maxConcurrentSchedules());
        return new Schedules(new ScheduleStore(jdbi), firing, workflows, audit, clock,
                new Schedules.Defaults(settings.scheduler().timezone(), settings.queue().maxRetries()),
                TriggerSignals.of(JobSignals.NONE, () -> { }));
    }
}
