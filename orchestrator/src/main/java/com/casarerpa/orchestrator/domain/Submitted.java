package com.casarerpa.orchestrator.domain;

/**
 * The job a submit stands for, and whether this call created it. {@code created = false}: an
 * earlier submit holds the idempotency key, and {@code sameRequest} says whether it was the same
 * request (false: the key was used for another request; an earlier job stored without a
 * fingerprint counts as the same).
 */
public record Submitted(Job job, boolean created, boolean sameRequest) {}
