package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.domain.WorkflowProblem;
import com.casarerpa.orchestrator.service.ConflictException;
import com.casarerpa.orchestrator.service.ForbiddenException;
import com.casarerpa.orchestrator.store.StaleLeaseException;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.service.NotFoundException;
import com.casarerpa.orchestrator.service.WebhookRejected;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the exceptions of the services read as {@link ApiError}s; {@link ErrorMapper} applies it
 * to every route: {@link NotFoundException} 404, {@link ConflictException} 409,
 * {@link InvalidInputException} 400 naming the field, {@link InvalidWorkflowException} 400
 * naming the first problem's path in {@code details.field} and every problem in
 * {@code details.problems}.
 */
final class ServiceErrors {
    private ServiceErrors() {}

    static ApiError of(RuntimeException e) {
        return switch (e) {
            case NotFoundException nf -> ApiError.notFound(nf.getMessage());
            case ForbiddenException f -> new ApiError(403, "forbidden", f.getMessage(), Map.of());
            case StaleLeaseException s -> new ApiError(409, "stale_lease", s.getMessage(), Map.of("job_id", s.jobId()));
            case ConflictException c -> new ApiError(409, c.code(), c.getMessage(), c.details());
            case InvalidInputException i -> ApiError.invalidField(i.field().isEmpty() ? "body" : i.field(), i.getMessage());
            case InvalidWorkflowException w -> invalidWorkflow(w, "");
            case WebhookRejected r -> new ApiError(401, "webhook_unauthorized", r.getMessage(), Map.of());
            default -> throw new IllegalArgumentException("not a service error: " + e.getClass().getName(), e);
        };
    }

    /** A definition's problems, their paths put under {@code prefix} ({@code workflow_data} for a deploy). */
    static ApiError invalidWorkflow(InvalidWorkflowException e, String prefix) {
        List<Map<String, Object>> problems = e.problems().stream().map(p -> problem(p, prefix)).toList();
        String field = e.first().pathUnder(prefix).isEmpty() ? "body" : e.first().pathUnder(prefix);
        int more = problems.size() - 1;
        String message = field + ": " + e.first().message()
                + (more == 0 ? "" : " (and " + more + " more problem" + (more == 1 ? "" : "s") + " in details.problems)");
        return new ApiError(400, "invalid_request", message, Map.of("field", field, "problems", problems));
    }

    private static Map<String, Object> problem(WorkflowProblem p, String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", p.pathUnder(prefix).isEmpty() ? "body" : p.pathUnder(prefix));
        m.put("message", p.message());
        return m;
    }
}
