package com.casarerpa.protocol.rest;

/**
 * The folder a workflow, job, schedule, webhook or audit event belongs to, as answers show it
 * (schema {@code FolderRef}): its id and its path from the root ({@code Default/Finance}).
 */
public record FolderRef(String id, String path) {}
