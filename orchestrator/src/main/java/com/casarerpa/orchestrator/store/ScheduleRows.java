package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.cron.UnixCron;
import com.casarerpa.orchestrator.domain.MisfirePolicy;
import com.casarerpa.orchestrator.domain.OverlapPolicy;
import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.workflow.JobOptionsJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Optional;

/** How a schedule row reads; the one place that knows its columns. */
final class ScheduleRows {
    static final String COLUMNS = "id, name, workflow_id, cron, timezone, enabled, job_options, misfire_policy,"
            + " misfire_limit, overlap_policy, next_fire_at, last_fire_at, last_job_id, created_at, updated_at, created_by,"
            + " folder_id";

    private ScheduleRows() {}

    static Schedule map(ResultSet rs) throws SQLException {
        return new Schedule(rs.getString("id"), rs.getString("name"), rs.getString("workflow_id"),
                UnixCron.parse(rs.getString("cron")), ZoneId.of(rs.getString("timezone")), rs.getBoolean("enabled"),
                JobOptionsJson.fromJson(rs.getString("job_options")), MisfirePolicy.fromWire(rs.getString("misfire_policy")).orElseThrow(),
                rs.getInt("misfire_limit"), OverlapPolicy.fromWire(rs.getString("overlap_policy")).orElseThrow(),
                Jdbi3.instant(rs.getObject("next_fire_at")), Jdbi3.instant(rs.getObject("last_fire_at")),
                Optional.ofNullable(rs.getString("last_job_id")), Jdbi3.instant(rs.getObject("created_at")).orElseThrow(),
                Jdbi3.instant(rs.getObject("updated_at")).orElseThrow(), rs.getString("created_by"), rs.getString("folder_id"));
    }
}
