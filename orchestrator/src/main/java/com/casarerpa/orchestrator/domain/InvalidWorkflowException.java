package com.casarerpa.orchestrator.domain;

import java.util.List;

/** A workflow definition broke one or more rules; {@link #problems()} lists every one, in order. */
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

    private static String summary(List<WorkflowProblem> problems) {
        if (problems.isEmpty()) {
            return "invalid workflow";
        }
        String first = problems.getFirst().describe();
        int more = problems.size() - 1;
        return more == 0 ? first : first + " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")";
    }
}
