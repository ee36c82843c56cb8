package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.casarerpa.orchestrator.store.JobClaims;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/**
 * What the job API tests share, run on both databases
 * ({@link com.casarerpa.orchestrator.testing.BothDatabases}): one server per database for the whole
 * class (starting one is the slow part), an empty job table before each test, a workflow of the
 * test's own, and the check of the one error shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobApiContract {
    static final String JOBS = "/api/v1/jobs";

    @Parameter
    TestDatabase database;
    JobApiServer s;
    String workflowId;
    String workflowName;

    /** Once per database, before the class's tests run on it. */
    @BeforeParameterizedClassInvocation
    void startServer(TestDatabase database, @TempDir Path workDir) {
        s = database.isPostgres() ? JobApiServer.postgres(workDir) : JobApiServer.embedded(workDir);
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        if (s != null) {
            s.close();
        }
    }

    @BeforeEach
    void freshJobsAndWorkflow() {
        s.deleteAllJobs();
        workflowName = "wf-" + UUID.randomUUID().toString().substring(0, 8);
        workflowId = s.deploy(workflowName);
    }

    /** {@code {"workflow_id":"<this test's workflow>" + more}}; {@code more} starts with a comma or is empty. */
    String job(String more) {
        return "{\"workflow_id\":\"" + workflowId + "\"" + more + "}";
    }

    String submit(String more) {
        return s.submitted(job(more)).get("id").asText();
    }

    /** Plays a robot that fails everything: claims and fails pending jobs until none is pending (retries spent). */
    void failAllPending() {
        for (List<JobClaims.Claim> claims = s.claim("robot-failing", 100); !claims.isEmpty();
                claims = s.claim("robot-failing", 100)) {
            claims.forEach(c -> s.reports.failed(c.job().id(), c.lease().token(), "NodeError", "boom " + c.lease().attempt()));
        }
    }

    /** Plays a robot that runs the one pending job to success. */
    String completeOnePending(String resultJson) {
        JobClaims.Claim c = s.claim("robot-good", 1).getFirst();
        s.reports.completed(c.job().id(), c.lease().token(), resultJson);
        return c.job().id();
    }

    /** Every 4xx has the one error shape, and names the field when there is one. */
    static JsonNode assertError(Http.Response r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode body = r.json();
        assertThat(body.at("/error/code").asText()).as(r.body()).isEqualTo(code);
        assertThat(body.at("/error/message").asText()).isNotBlank();
        assertThat(body.at("/request_id").asText()).isEqualTo(r.header("X-Request-ID"));
        if (field != null) {
            assertThat(body.at("/error/details/field").asText()).as(r.body()).isEqualTo(field);
        }
        return body;
    }
}
