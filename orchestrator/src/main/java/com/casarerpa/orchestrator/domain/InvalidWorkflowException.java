package com.casarerpa.orchestrator.domain;

import java.util.List;

/**
 * A workflow definition broke one or more rules; {@link #problems()} lists every one, in order
 * (up to {@link WorkflowValidator#MAX_PROBLEMS}, then one that counts the rest), and so does the
 * message, separated by {@code "; "}.
 */
public final class InvalidWorkflowException extends RuntimeException {
    private final List<WorkflowProblem> problems;

    public InvalidWorkflowException(List<WorkflowProblem> problems) {
        super(summary(problems));
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

    private static String summary(List<WorkflowProblem> problems) {
        return problems.isEmpty() ? "invalid workflow"
                : String.join("; ", problems.stream().map(WorkflowProblem::describe).toList());
    }
}
