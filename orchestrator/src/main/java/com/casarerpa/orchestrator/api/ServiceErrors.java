package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.domain.WorkflowProblem;
import com.casarerpa.orchestrator.service.ConflictException;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.service.NotFoundException;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the exceptions of the services into {@link ApiError}s, so handlers stay free of
 * try/catch: {@link NotFoundException} 404, {@link ConflictException} 409,
 * {@link InvalidInputException} 400 naming the field, {@link InvalidWorkflowException} 400
 * naming the first problem's path in {@code details.field} and every problem in
 * {@code details.problems}.
 */
final class ServiceErrors {
    private ServiceErrors() {}

    /** {@code handler}, with service exceptions rethrown as {@link ApiError}. */
    static Handler mapped(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (NotFoundException e) {
                throw ApiError.notFound(e.getMessage());
            } catch (ConflictException e) {
                throw new ApiError(409, "conflict", e.getMessage(), e.details());
            } catch (InvalidInputException e) {
                throw invalidField(e.field().isEmpty() ? "body" : e.field(), e.getMessage());
            } catch (InvalidWorkflowException e) {
                throw invalidWorkflow(e, "");
            }
        };
    }

    static ApiError invalidField(String field, String message) {
        return ApiError.invalidField(field, message);
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
