package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.testkit.RobotLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a fault test asserts when it is over: every job it was told was accepted succeeded
 * exactly once (one applied success report, one succeeded attempt, attempts one after the other)
 * and no job ran on two robots at the same time, by the robots' own log and the database.
 */
public final class ExactlyOnce {
    private ExactlyOnce() {}

    public static void assertEveryJobSucceededExactlyOnce(String db, Collection<String> jobs, RobotLog log)
            throws Exception {
        try (Connection c = TestPostgres.connect(db)) {
            assertEveryJobSucceededExactlyOnce(c, jobs, log);
        }
    }

    /** The same, on the database {@code c} is connected to (one of an {@link OwnPostgresCluster}, say). */
    public static void assertEveryJobSucceededExactlyOnce(Connection c, Collection<String> jobs, RobotLog log)
            throws Exception {
        // The leases under which a job_completed was applied, per job, as the robots were told.
        Map<String, Long> appliedLeases = log.answers().stream()
                .filter(RobotLog.FinalAnswer::applied)
                .collect(Collectors.groupingBy(RobotLog.FinalAnswer::jobId,
                        Collectors.mapping(RobotLog.FinalAnswer::token, Collectors.collectingAndThen(Collectors.toSet(),
                                set -> (long) set.size()))));
        try (PreparedStatement attempts = c.prepareStatement("SELECT attempt, outcome, assigned_at, ended_at"
                        + " FROM job_attempts WHERE job_id = ? ORDER BY attempt")) {
            for (String job : jobs) {
                assertThat(appliedLeases.get(job)).as("leases of " + job + " whose success report was applied").isEqualTo(1L);
                attempts.setString(1, job);
                int succeeded = 0;
                OffsetDateTime previousEnd = null;
                try (ResultSet rs = attempts.executeQuery()) {
                    while (rs.next()) {
                        if ("succeeded".equals(rs.getString("outcome"))) {
                            succeeded++;
                        }
                        OffsetDateTime assigned = rs.getObject("assigned_at", OffsetDateTime.class);
                        if (previousEnd != null) {
                            assertThat(assigned).as("attempt " + rs.getInt("attempt") + " of " + job
                                    + " leased only after the previous lease ended").isAfterOrEqualTo(previousEnd);
                        }
                        previousEnd = rs.getObject("ended_at", OffsetDateTime.class);
                        assertThat(previousEnd).as("every attempt of " + job + " has ended").isNotNull();
                    }
                }
                assertThat(succeeded).as("attempts of " + job + " that succeeded").isEqualTo(1);
            }
        }
    }

    public static void assertNoJobRanTwiceAtOnce(RobotLog log) {
        Map<String, List<RobotLog.Execution>> byJob = log.executions().stream()
                .collect(Collectors.groupingBy(RobotLog.Execution::jobId));
        byJob.forEach((job, runs) -> {
            List<RobotLog.Execution> sorted = runs.stream()
                    .sorted(Comparator.comparingLong(RobotLog.Execution::startNanos)).toList();
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i).startNanos()).as(job + " ran on " + sorted.get(i - 1).robot() + " and "
                        + sorted.get(i).robot() + " at the same time").isGreaterThanOrEqualTo(sorted.get(i - 1).endNanos());
            }
        });
    }
}
