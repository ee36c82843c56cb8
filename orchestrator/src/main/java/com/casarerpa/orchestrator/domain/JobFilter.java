package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which jobs a listing shows: any of {@code states} (all when empty), of one workflow, held or
 * last run by one robot, created in {@code [createdSince, createdUntil)}, in one of {@code folders}
 * (empty: in any folder), carrying every one of {@code tags}, whose last failure has signature
 * {@code errorSignature} ({@link ErrorSignature#id()}), and matching the free text {@code text}.
 */
public record JobFilter(Set<JobState> states, Optional<String> workflowId, Optional<String> robotId,
        Optional<Instant> createdSince, Optional<Instant> createdUntil, Optional<Set<String>> folders, Set<String> tags,
        Optional<String> errorSignature, Optional<Text> text) {

    /**
     * The free-text search {@code q}: a job whose id starts with {@code query}, whose workflow's
     * name holds it (any case), that carries it as a tag, or one of {@code variableMatches}: the
     * jobs whose input variables hold it, found beforehand (the service reads them with their
     * sensitive values hidden, which SQL cannot).
     */
    public record Text(String query, List<String> variableMatches) {
        public Text {
            variableMatches = List.copyOf(variableMatches);
        }
    }

    public JobFilter {
        states = Set.copyOf(states);
        folders = folders.map(Set::copyOf);
        tags = Set.copyOf(tags);
    }

    public JobFilter(Set<JobState> states, Optional<String> workflowId, Optional<String> robotId,
            Optional<Instant> createdSince, Optional<Instant> createdUntil) {
        this(states, workflowId, robotId, createdSince, createdUntil, Optional.empty(), Set.of(), Optional.empty(), Optional.empty());
    }

    public static JobFilter all() {
        return new JobFilter(Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The same filter, only in {@code visible} folders (empty: no limit). */
    public JobFilter within(Optional<Set<String>> visible) {
        return new JobFilter(states, workflowId, robotId, createdSince, createdUntil, visible, tags, errorSignature, text);
    }

    public JobFilter withStates(Set<JobState> only) {
        return new JobFilter(only, workflowId, robotId, createdSince, createdUntil, folders, tags, errorSignature, text);
    }

    public JobFilter withTags(Set<String> all) {
        return new JobFilter(states, workflowId, robotId, createdSince, createdUntil, folders, all, errorSignature, text);
    }

    public JobFilter withErrorSignature(Optional<String> signature) {
        return new JobFilter(states, workflowId, robotId, createdSince, createdUntil, folders, tags, signature, text);
    }

    public JobFilter withText(Optional<Text> search) {
        return new JobFilter(states, workflowId, robotId, createdSince, createdUntil, folders, tags, errorSignature, search);
    }
}
