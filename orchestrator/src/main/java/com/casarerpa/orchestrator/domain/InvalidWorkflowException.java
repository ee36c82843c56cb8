package com.casarerpa.orchestrator.domain;

import com.casarerpa.orchestrator.error.OrchestratorException;
import com.casarerpa.orchestrator.workflow.WorkflowValidator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow definition broke one or more rules; {@link #problems()} lists every one, in order
 * (up to {@code WorkflowValidator.MAX_PROBLEMS}, then one that counts the rest), and so does the
 * message, separated by {@code "; "}. To a client it is a 400 {@code invalid_request} naming the
 * first problem's path in {@code details.field} and every problem in {@code details.problems}.
 */
public final class InvalidWorkflowException extends OrchestratorException {
    private final List<WorkflowProblem> problems;

    public InvalidWorkflowException(List<WorkflowProblem> problems) {
        super(400, "invalid_request", summary(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid workflow needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<WorkflowProblem> problems() {
        return problems;
    }

    /** The first problem, which API errors name as the field at fault. */
    public WorkflowProblem first() {
        return problems.getFirst();
    }

    /** Each problem as {@code path: message}, for lists shown to people. */
    public List<String> descriptions() {
        return problems.stream().map(WorkflowProblem::describe).toList();
    }

    /** The same problems with their paths under {@code prefix} ({@code workflow_data} for a deploy). */
    public InvalidWorkflowException under(String prefix) {
        return new InvalidWorkflowException(problems.stream()
                .map(p -> new WorkflowProblem(p.pathUnder(prefix), p.message())).toList());
    }

    @Override
    public Map<String, Object> details() {
        List<Map<String, Object>> listed = problems.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", field(p));
            m.put("message", p.message());
            return m;
        }).toList();
        return Map.of("field", field(first()), "problems", listed);
    }

    /** {@code field: message} of the first problem, counting the others. */
    @Override
    public String clientMessage() {
        int more = problems.size() - 1;
        return field(first()) + ": " + first().message()
                + (more == 0 ? "" : " (and " + more + " more problem" + (more == 1 ? "" : "s") + " in details.problems)");
    }

    private static String field(WorkflowProblem p) {
        return p.path().isEmpty() ? "body" : p.path();
    }

    private static String summary(List<WorkflowProblem> problems) {
        return problems.isEmpty() ? "invalid workflow"
                : String.join("; ", problems.stream().map(WorkflowProblem::describe).toList());
    }
}
