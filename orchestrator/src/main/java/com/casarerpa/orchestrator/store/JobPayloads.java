package com.casarerpa.orchestrator.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** What a robot needs to run assigned jobs: the pinned workflow version's name and definition. */
public final class JobPayloads {
    private final Jdbi jdbi;

    public JobPayloads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** @param definition the workflow JSON as stored (text) */
    public record Payload(String jobId, String workflowName, String definition) {}

    public Map<String, Payload> of(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return Map.of();
        }
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT j.id, w.name, v.definition FROM jobs j"
                        + " JOIN workflows w ON w.id = j.workflow_id"
                        + " JOIN workflow_versions v ON v.workflow_id = j.workflow_id AND v.version = j.workflow_version"
                        + " WHERE j.id IN (<ids>)")
                .bindList("ids", List.copyOf(jobIds))
                .map((rs, ctx) -> new Payload(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list()))
                .stream().collect(Collectors.toMap(Payload::jobId, p -> p));
    }

    /** The robot that holds the job now, or held it last (a finished job keeps its last robot). */
    public java.util.Optional<String> holderOf(String jobId) {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT robot_id FROM jobs WHERE id = :id"
                        + " AND robot_id IS NOT NULL")
                .bind("id", jobId).mapTo(String.class).findOne()));
    }

    /** The live lease token of a job held by {@code robotId}, for robots that report by job id alone (REST). */
    public java.util.Optional<String> leaseHeldBy(String jobId, String robotId) {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT lease_token FROM jobs WHERE id = :id"
                        + " AND robot_id = :robot AND " + JobTransitions.leased(""))
                .bind("id", jobId).bind("robot", robotId).mapTo(String.class).findOne()));
    }

    /** The token of the last attempt a robot held on a job, finished or not (to accept a repeated final report). */
    public java.util.Optional<String> lastLeaseOf(String jobId, String robotId) {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT lease_token FROM job_attempts"
                        + " WHERE job_id = :id AND robot_id = :robot ORDER BY attempt DESC LIMIT 1")
                .bind("id", jobId).bind("robot", robotId).mapTo(String.class).findOne()));
    }
}
