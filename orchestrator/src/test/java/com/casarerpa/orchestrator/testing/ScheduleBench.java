package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.OverLimitPolicy;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.service.DeployRequest;
import com.casarerpa.orchestrator.service.ScheduleSpec;
import com.casarerpa.orchestrator.service.Workflows;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A migrated database (H2 or PostgreSQL) with a workflow deployed, a {@link MutableClock}, and
 * one scheduler "instance" ({@link Triggers}) on them; {@link #restart} makes a new instance on
 * the same database, as a restarted server would be.
 */
public final class ScheduleBench implements AutoCloseable {
    public static final Actor OPERATOR = new Actor("api_key", "k_test", "test", Role.OPERATOR);

    public final MigratedDatabase db;
    public final Jdbi jdbi;
    public final MutableClock clock;
    public final Workflows workflows;
    public final String workflowId;
    private final int maxConcurrent;
    private final OverLimitPolicy overLimit;
    public Triggers instance;

    public ScheduleBench(String database, Path dir, Instant start, int maxConcurrent) {
        this(database, dir, start, maxConcurrent, OverLimitPolicy.QUEUE);
    }

    /** @param overLimit what a fire over {@code maxConcurrent} does */
    public ScheduleBench(String database, Path dir, Instant start, int maxConcurrent, OverLimitPolicy overLimit) {
        this.db = database.equals("postgres") ? MigratedDatabase.postgres() : MigratedDatabase.h2(dir);
        this.jdbi = Jdbi3.of(db.database());
        this.clock = new MutableClock(start);
        this.maxConcurrent = maxConcurrent;
        this.overLimit = overLimit;
        this.workflows = Workflows.on(jdbi, new RecordingAuditTrail(), List.of(), clock);
        this.workflowId = workflows.service().deploy(new DeployRequest("Report", WorkflowJson.parse(Samples.chain("Report", "a")),
                Optional.empty(), Optional.empty()), OPERATOR).workflow().id();
        this.instance = restart();
    }

    /** A new scheduler instance on the same database and clock. */
    public Triggers restart() {
        instance = new Triggers(jdbi, db.database(), workflows.service(), new RecordingAuditTrail(), clock, maxConcurrent, overLimit);
        return instance;
    }

    /** A schedule spec: {@code fields} as the REST body would hold them. */
    public static ScheduleSpec spec(String name, String workflow, String cron, Map<String, Object> fields) {
        JsonNode extra = WorkflowJson.mapper().valueToTree(fields);
        return new ScheduleSpec(Optional.of(name), Optional.of(workflow), Optional.of(cron),
                Optional.ofNullable(extra.get("timezone")).map(JsonNode::asText), Optional.empty(),
                Optional.ofNullable(extra.get("misfire_policy")).map(JsonNode::asText),
                Optional.ofNullable(extra.get("misfire_limit")).map(JsonNode::asInt),
                Optional.ofNullable(extra.get("overlap_policy")).map(JsonNode::asText), Optional.ofNullable(extra.get("job")));
    }

    public long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        db.close();
    }
}
