package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.domain.OverLimitPolicy;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.metrics.ScheduleMetrics;
import com.casarerpa.orchestrator.scheduler.FireDueSchedules;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.service.FolderAccess;
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
import java.time.ZoneId;
import org.jdbi.v3.core.Jdbi;

/**
 * The schedule parts of one "instance" over a database, with its own clock: what
 * {@code app/Components} wires, for tests that run the scheduler without an HTTP server (several
 * instances on one PostgreSQL, a restart, a clock moved by hand).
 */
public final class Triggers {
    public final ScheduleStore store;
    public final ScheduleFiring firing;
    public final Schedules schedules;
    public final FireDueSchedules pass;
    /** Where this instance's fires are published. */
    public final ChangeEvents events;

    public Triggers(Jdbi jdbi, Database db, WorkflowService workflows, AuditTrail audit, Clock clock, int maxConcurrent) {
        this(jdbi, db, workflows, audit, clock, maxConcurrent, OverLimitPolicy.QUEUE);
    }

    public Triggers(Jdbi jdbi, Database db, WorkflowService workflows, AuditTrail audit, Clock clock, int maxConcurrent,
            OverLimitPolicy overLimit) {
        store = new ScheduleStore(jdbi);
        events = new ChangeEvents(() -> "i_triggers", clock);
        firing = new ScheduleFiring(jdbi, db.dialect(), new JobStore(jdbi), new JobIds(clock, new SecureRandom()), clock,
                maxConcurrent, overLimit, events);
        schedules = new Schedules(store, firing, workflows, FolderAccess.on(jdbi), audit, clock, new Schedules.Defaults(ZoneId.of("UTC"), 3),
                TriggerSignals.of(JobSignals.NONE, () -> { }));
        pass = new FireDueSchedules(firing, store, JobSignals.NONE, clock, ScheduleMetrics.none());
    }
}
