package com.casarerpa.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.JobHistory;
import com.casarerpa.orchestrator.store.FailureSignatures;
import com.casarerpa.orchestrator.store.JobListing;
import com.casarerpa.orchestrator.store.WorkflowStore;
import com.casarerpa.orchestrator.store.JobRetries;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.RecordingAuditTrail;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel of a job on a robot signals the dispatchers (here and, through NOTIFY, on the other
 * instances) so that {@code job_cancel} goes out at once; a pending job's cancel needs no robot.
 */
class CancelSignalsTest {
    @TempDir
    Path dir;
    private Database db;
    private QueueFixture q;
    private final AtomicInteger toStop = new AtomicInteger();
    private final AtomicInteger available = new AtomicInteger();
    private JobCommands commands;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseUrl.embedded(dir), PoolSettings.forCommand());
        new Migrations(db).migrate();
        q = new QueueFixture(db, Duration.ZERO);
        JobSignals signals = new JobSignals() {
            @Override
            public void jobsAvailable() {
                available.incrementAndGet();
            }

            @Override
            public void jobsToStop() {
                toStop.incrementAndGet();
            }
        };
        FolderAccess folders = FolderAccess.on(q.jdbi);
        JobListing listing = new JobListing(q.jdbi);
        JobQueries queries = new JobQueries(q.jobs, folders, listing, new JobHistory(q.jdbi), job -> "", new JobSearch(folders,
                listing, new FailureSignatures(q.jdbi), new SensitiveDeclarations(new WorkflowStore(q.jdbi))));
        commands = new JobCommands(q.jobs, queries, q.reports, new JobRetries(q.jdbi), new RecordingAuditTrail(), signals);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void cancelling_a_running_job_signals_a_stop_and_a_pending_one_does_not() {
        String running = q.jobs.submit(q.job()).job().id();
        assertThat(q.claims.claim(q.robot("r1", 1))).hasSize(1);
        String pending = q.jobs.submit(q.job()).job().id();

        JobCommands.Cancelled onRobot = commands.cancel(running, Actor.localCli());
        assertThat(onRobot.stopping()).isTrue();
        assertThat(toStop.get()).isEqualTo(1);

        JobCommands.Cancelled atOnce = commands.cancel(pending, Actor.localCli());
        assertThat(atOnce.stopping()).isFalse();
        assertThat(atOnce.job().state()).isEqualTo(JobState.CANCELLED);
        assertThat(toStop.get()).as("no robot to tell").isEqualTo(1);
        assertThat(available.get()).isZero();
    }
}
