package com.casarerpa.orchestrator.domain;

import java.util.Optional;

/**
 * The job a submit stands for, and whether this call created it. {@code created = false}: an
 * earlier submit holds the idempotency key, and {@code sameRequest} says whether it was the same
 * request (false: the key was used for another request; an earlier job stored without a
 * fingerprint counts as the same). {@code folderPath}: the path of the job's folder when it was
 * read with the job (a job in the root folder), for the answer; else empty.
 */
public record Submitted(Job job, boolean created, boolean sameRequest, Optional<String> folderPath) {
    public Submitted(Job job, boolean created, boolean sameRequest) {
        this(job, created, sameRequest, Optional.empty());
    }
}
