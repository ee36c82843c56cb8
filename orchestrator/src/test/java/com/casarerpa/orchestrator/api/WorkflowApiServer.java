package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.service.WorkflowReferences;
import com.casarerpa.orchestrator.service.Workflows;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RecordingAuditTrail;
import com.casarerpa.orchestrator.testing.Triggers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workflow routes on a real HTTP server (port 0) over a real database, with test callers
 * ({@link TestAuthentication}), a recording audit trail, and one {@link WorkflowReferences}
 * whose references a test can set.
 */
public final class WorkflowApiServer implements AutoCloseable {
    public final RecordingAuditTrail audit = new RecordingAuditTrail();
    public final FakeReferences references = new FakeReferences();
    public final HttpApi api;
    public final Http http;

    public WorkflowApiServer(MigratedDatabase db) {
        Workflows workflows = Workflows.on(Jdbi3.of(db.database()), audit, List.of(references), Clock.systemUTC());
        Triggers triggers = new Triggers(Jdbi3.of(db.database()), db.database(), workflows.service(), audit, Clock.systemUTC(), 100);
        api = new HttpApi("127.0.0.1", 0, 1, Duration.ofSeconds(5), List.of(TestAuthentication.callers(),
                new WorkflowRoutes(workflows.service(), workflows.transfer(), triggers.schedules, workflows.health()))).start();
        http = new Http(api.port());
    }

    public String url() {
        return "http://127.0.0.1:" + api.port();
    }

    @Override
    public void close() {
        api.close();
    }

    /** References a test declares ("2 jobs") per workflow id; a cascade removes them. */
    public static final class FakeReferences implements WorkflowReferences {
        private final Map<String, List<String>> byWorkflow = new ConcurrentHashMap<>();
        public final List<String> removed = new ArrayList<>();

        public void add(String workflowId, String description) {
            byWorkflow.computeIfAbsent(workflowId, k -> new ArrayList<>()).add(description);
        }

        @Override
        public List<String> describe(String workflowId) {
            return byWorkflow.getOrDefault(workflowId, List.of());
        }

        @Override
        public void remove(String workflowId) {
            removed.add(workflowId);
            byWorkflow.remove(workflowId);
        }
    }
}
