package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.workflow.JobOptionsJson;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * Schedules as rows, and their fire history. Firing itself (claim, fire, advance) is
 * {@link ScheduleFiring}'s. A second schedule with a taken name is a {@link UniqueViolationException}.
 */
public final class ScheduleStore {
    private final Jdbi jdbi;

    public ScheduleStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One fire of a schedule, as its history shows it. {@code lag} is fired minus scheduled. */
    public record Fire(String scheduleId, Instant scheduledAt, Instant firedAt, String kind, String outcome,
            Optional<String> jobId, Optional<String> reason) {}

    public void insert(Schedule s) {
        Jdbi3.run("schedules", () -> jdbi.useHandle(h -> settings(h.createUpdate("INSERT INTO schedules ("
                        + ScheduleRows.COLUMNS + ") VALUES (:id, :name, :workflow, :cron, :zone, :enabled, :options, :misfire,"
                        + " :limit, :overlap, :next, :last, :lastJob, :created, :updated, :createdBy, :folder)"), s)
                .bind("workflow", s.workflowId())
                .bind("next", Jdbi3.ts(s.nextFireAt().orElse(null)))
                .bind("last", Jdbi3.ts(s.lastFireAt().orElse(null)))
                .bind("lastJob", s.lastJobId().orElse(null))
                .bind("created", Jdbi3.ts(s.createdAt()))
                .bind("createdBy", s.createdBy())
                .bind("folder", s.folderId())
                .execute()));
    }

    /** Binds what a person may change, plus id and updated time. */
    private static Update settings(Update update, Schedule s) {
        return update.bind("id", s.id())
                .bind("name", s.name())
                .bind("cron", s.cron().text())
                .bind("zone", s.timezone().getId())
                .bind("enabled", s.enabled())
                .bind("options", JobOptionsJson.toJson(s.jobOptions()))
                .bind("misfire", s.misfirePolicy().wireName())
                .bind("limit", s.misfireLimit())
                .bind("overlap", s.overlapPolicy().wireName())
                .bind("updated", Jdbi3.ts(s.updatedAt()));
    }

    /**
     * Writes every changeable field of {@code s}, and its next fire time only when
     * {@code replan} (a new cron, zone, or enabled state): otherwise the next fire time stays the
     * scheduler's, which may have moved it meanwhile. False when the schedule is gone.
     */
    public boolean update(Schedule s, boolean replan) {
        return Jdbi3.call("schedules", () -> jdbi.withHandle(h -> {
            Update update = settings(h.createUpdate("UPDATE schedules SET name = :name, cron = :cron, timezone = :zone,"
                    + " enabled = :enabled, job_options = :options, misfire_policy = :misfire, misfire_limit = :limit,"
                    + " overlap_policy = :overlap, updated_at = :updated" + (replan ? ", next_fire_at = :next" : "")
                    + " WHERE id = :id"), s);
            if (replan) {
                update.bind("next", Jdbi3.ts(s.nextFireAt().orElse(null)));
            }
            return update.execute() == 1;
        }));
    }

    public Optional<Schedule> find(String id) {
        return Jdbi3.call("schedules", () -> jdbi.withHandle(h -> h.createQuery("SELECT " + ScheduleRows.COLUMNS
                        + " FROM schedules WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> ScheduleRows.map(rs))
                .findOne()));
    }

    public Optional<Schedule> findByName(String name) {
        return Jdbi3.call("schedules", () -> jdbi.withHandle(h -> h.createQuery("SELECT " + ScheduleRows.COLUMNS
                        + " FROM schedules WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> ScheduleRows.map(rs))
                .findOne()));
    }

    /** Every schedule (of one workflow when given; in one of {@code folders} when given), by name. */
    public List<Schedule> list(Optional<String> workflowId, Optional<Set<String>> folders) {
        if (folders.isPresent() && folders.get().isEmpty()) {
            return List.of();
        }
        return Jdbi3.call("schedules", () -> jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT " + ScheduleRows.COLUMNS + " FROM schedules"
                            + " WHERE workflow_id = COALESCE(:workflow, workflow_id)"
                            + (folders.isPresent() ? " AND folder_id IN (<folders>)" : "") + " ORDER BY name")
                    .bind("workflow", workflowId.orElse(null));
            folders.ifPresent(f -> q.bindList("folders", f.stream().sorted().toList()));
            return q.map((rs, ctx) -> ScheduleRows.map(rs)).list();
        }));
    }

    public boolean delete(String id) {
        return Jdbi3.call("schedules", () -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM schedules WHERE id = :id")
                .bind("id", id)
                .execute() == 1));
    }

    public int deleteForWorkflow(String workflowId) {
        return Jdbi3.call("schedules", () -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM schedules WHERE workflow_id = :w")
                .bind("w", workflowId)
                .execute()));
    }

    public int countForWorkflow(String workflowId) {
        return Jdbi3.call("schedules", () -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM schedules"
                        + " WHERE workflow_id = :w")
                .bind("w", workflowId)
                .mapTo(Integer.class)
                .one()));
    }

    /** The latest fires of a schedule, newest first. */
    public List<Fire> history(String scheduleId, int limit) {
        return Jdbi3.call("schedules", () -> jdbi.withHandle(h -> h.createQuery("SELECT schedule_id, scheduled_at, fired_at,"
                        + " kind, outcome, job_id, reason FROM schedule_fires WHERE schedule_id = :id"
                        + " ORDER BY scheduled_at DESC LIMIT :limit")
                .bind("id", scheduleId)
                .bind("limit", limit)
                .map((rs, ctx) -> new Fire(rs.getString(1), Jdbi3.instant(rs.getObject(2)).orElseThrow(),
                        Jdbi3.instant(rs.getObject(3)).orElseThrow(), rs.getString(4), rs.getString(5),
                        Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7))))
                .list()));
    }

    /** The earliest next fire time of any enabled schedule: when the scheduler must look next. */
    public Optional<Instant> earliestDue() {
        return Jdbi3.call("schedules", () -> jdbi.withHandle(h -> earliestDue(h)));
    }

    static Optional<Instant> earliestDue(Handle h) {
        return h.createQuery("SELECT MIN(next_fire_at) FROM schedules WHERE enabled = TRUE")
                .map((rs, ctx) -> Jdbi3.instant(rs.getObject(1)))
                .one();
    }
}
