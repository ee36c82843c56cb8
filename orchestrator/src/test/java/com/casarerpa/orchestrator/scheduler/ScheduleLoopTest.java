package com.casarerpa.orchestrator.scheduler;

import static com.casarerpa.orchestrator.testing.ScheduleBench.OPERATOR;
import static com.casarerpa.orchestrator.testing.ScheduleBench.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.service.DeployRequest;
import com.casarerpa.orchestrator.service.Workflows;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.MutableClock;
import com.casarerpa.orchestrator.testing.RecordingAuditTrail;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TcpProxy;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.orchestrator.testing.Triggers;
import com.casarerpa.orchestrator.domain.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The scheduler loop rides out a database outage: passes fail, are counted and retried, and the
 * fire that came due meanwhile happens once when PostgreSQL is back.
 */
class ScheduleLoopTest {

    @Test
    void a_fire_due_while_postgresql_is_away_happens_once_when_it_is_back() throws Exception {
        String name = TestPostgres.createDatabase();
        MutableClock clock = new MutableClock(Instant.parse("2027-01-04T08:30:00Z"));
        try (TcpProxy proxy = new TcpProxy(TestPostgres.HOST, TestPostgres.PORT);
                Database db = Database.open(DatabaseUrl.parse("postgresql://" + TestPostgres.USER + "@127.0.0.1:" + proxy.port()
                        + "/" + name), PoolSettings.forCommand())) {
            new Migrations(db).migrate();
            Jdbi jdbi = Jdbi3.of(db);
            Workflows workflows = Workflows.on(jdbi, new RecordingAuditTrail(), List.of(), clock);
            String workflow = workflows.service().deploy(new DeployRequest("Report", WorkflowJson.parse(Samples.chain("Report", "a")),
                    Optional.empty(), Optional.empty()), OPERATOR).workflow().id();
            Triggers t = new Triggers(jdbi, db, workflows.service(), new RecordingAuditTrail(), clock, 100);
            t.schedules.create(spec("hourly", workflow, "0 * * * *", Map.of()), OPERATOR);

            try (ScheduleLoop loop = ScheduleLoop.start(t.pass, Duration.ofMillis(100))) {
                proxy.cut();
                clock.advance(Duration.ofMinutes(31)); // 09:00 is due, the database is away
                await().atMost(Duration.ofSeconds(30)).until(() -> loop.failures() > 0);

                proxy.restore();
                await().atMost(Duration.ofSeconds(30)).until(() -> count(name, "SELECT COUNT(*) FROM schedule_fires") == 1);
                assertThat(count(name, "SELECT COUNT(*) FROM jobs")).isEqualTo(1);
                assertThat(t.schedules.get("hourly", Actor.localCli()).nextFireAt()).contains(Instant.parse("2027-01-04T10:00:00Z"));
            }
        } finally {
            TestPostgres.dropDatabase(name);
        }
    }

    private static long count(String database, String sql) throws Exception {
        try (var c = TestPostgres.connect(database); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
