package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Submitted;
import com.casarerpa.protocol.rest.FolderRef;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobAttempt;
import com.casarerpa.orchestrator.domain.JobLogEntry;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.ErrorSignature;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.protocol.rest.JobBodies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON shapes of jobs on the wire ({@link JobBodies}), in one place for the REST API and the
 * CLI. Sensitive values in {@code variables} and {@code result} are hidden for every role
 * ({@link SensitiveValues}): the secret-looking names and the variables the job's workflow
 * version declares sensitive. Robots get the real values in their assignments, which are not
 * made here.
 */
public final class JobViews {
    public static final int MAX_SUMMARY = 200;
    private final SensitiveDeclarations sensitive;
    private final FolderAccess folders;

    /** @param folders where the paths of the jobs' folders come from */
    public JobViews(SensitiveDeclarations sensitive, FolderAccess folders) {
        this.sensitive = sensitive;
        this.folders = folders;
    }

    /** The folder tree to show jobs with (read once per answer). */
    public FolderTree tree() {
        return folders.tree();
    }

    /** A job as listed and as answered by cancel and retry. */
    public JobBodies.Job summary(Job j, FolderTree tree) {
        return summary(j, FolderAccess.ref(tree, j.folderId()));
    }

    private JobBodies.Job summary(Job j, FolderRef folder) {
        Set<String> declared = sensitive.of(j.workflowId(), j.workflowVersion());
        return new JobBodies.Job(j.id(), j.workflowId(), j.workflowVersion(), j.state().wireName(), j.priority(),
                SensitiveValues.variables(json(j.variables()), declared), j.requiredCapabilities(), j.tags(),
                j.environment().orElse(null), j.idempotencyKey().orElse(null), j.maxRetries(), j.attempt(),
                j.timeoutSeconds().orElse(null), j.runAfter(), j.robotId().orElse(null), j.leaseExpiresAt().orElse(null),
                j.state().leased() ? j.stopping().map(JobState::wireName).orElse(null) : null, j.progress().orElse(null),
                j.result().map(r -> SensitiveValues.result(json(r), declared)).orElse(null),
                errorSummary(j.errorType(), j.errorMessage()), errorSignature(j), j.source(), j.createdBy(), j.createdAt(), j.updatedAt(),
                j.startedAt().orElse(null), j.finishedAt().orElse(null), folder);
    }

    /** The answer of a submit: the summary and whether this submit made the job. */
    public JobBodies.SubmittedJob submitted(Job j, boolean created, FolderTree tree) {
        return new JobBodies.SubmittedJob(summary(j, tree), created);
    }

    /** As {@link #submitted(Job, boolean, FolderTree)}; the folder tree is read only when the store did not give the path. */
    public JobBodies.SubmittedJob submitted(Submitted s) {
        return new JobBodies.SubmittedJob(s.folderPath().map(path -> summary(s.job(), new FolderRef(s.job().folderId(), path)))
                .orElseGet(() -> summary(s.job(), tree())), s.created());
    }

    /** The summary plus the full {@code error}, {@code waiting_reason} (pending jobs; else null) and {@code attempts}, oldest first. */
    public JobBodies.JobDetail detail(JobDetails d, FolderTree tree) {
        return new JobBodies.JobDetail(summary(d.job(), tree), error(d.job().errorType(), d.job().errorMessage()),
                d.waitingReason().orElse(null),
                d.attempts().stream().map(JobViews::attempt).toList());
    }

    public static JobBodies.JobAttempt attempt(JobAttempt a) {
        return new JobBodies.JobAttempt(a.attempt(), a.robotId(), a.assignedAt(), a.startedAt().orElse(null),
                a.endedAt().orElse(null), a.outcome().orElse(null), error(a.errorType(), a.errorMessage()));
    }

    public static JobBodies.JobLogEntry log(JobLogEntry e) {
        return new JobBodies.JobLogEntry(e.id(), e.attempt(), e.loggedAt(), e.level(), e.nodeId().orElse(null), e.message());
    }

    /**
     * An error in one line of at most {@value #MAX_SUMMARY} characters ({@code type: message},
     * the message's first line, whitespace folded, cut with an ellipsis); null without an error.
     */
    public static String errorSummary(Optional<String> type, Optional<String> message) {
        if (type.isEmpty() && message.isEmpty()) {
            return null;
        }
        String first = message.flatMap(m -> m.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()).orElse("");
        String line = (type.map(t -> first.isEmpty() ? t : t + ": " + first).orElse(first)).replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_SUMMARY ? line : line.substring(0, MAX_SUMMARY - 1) + "\u2026";
    }

    /** The signature of the job's error ({@link ErrorSignature}), as failure groups and the filter use it; null without one. */
    private static String errorSignature(Job j) {
        return j.errorType().isEmpty() && j.errorMessage().isEmpty() ? null
                : ErrorSignature.of(j.errorType(), j.errorMessage()).id();
    }

    private static JobBodies.JobError error(Optional<String> type, Optional<String> message) {
        if (type.isEmpty() && message.isEmpty()) {
            return null;
        }
        return new JobBodies.JobError(type.orElse(null), message.orElse(null));
    }

    /** Stored JSON text as a value; text that is not JSON (written by hand) stays a string rather than failing the read. */
    private static JsonNode json(String text) {
        try {
            return WorkflowJson.parse(text);
        } catch (IllegalArgumentException e) {
            return TextNode.valueOf(text);
        }
    }
}
