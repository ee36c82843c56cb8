package com.casarerpa.orchestrator.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The rules for names, descriptions and tags of workflows. Tags are 1–64 characters without
 * quotes, backslashes or control characters (so a tag filter can match them exactly inside the
 * stored JSON); at most 50 per workflow; duplicates are dropped, order is kept.
 */
public final class WorkflowFields {
    public static final int MAX_TAGS = 50;
    public static final int MAX_TAG_CHARS = 64;
    public static final int MAX_NAME_CHARS = 200;
    public static final int MAX_DESCRIPTION_CHARS = 2000;

    private WorkflowFields() {}

    /** Why {@code tag} is not acceptable, or empty when it is. */
    public static Optional<String> problemWithTag(String tag) {
        if (tag.isBlank() || tag.length() > MAX_TAG_CHARS) {
            return Optional.of("a tag must have 1 to " + MAX_TAG_CHARS + " characters, got \"" + tag + "\"");
        }
        if (tag.chars().anyMatch(c -> c == '"' || c == '\\' || Character.isISOControl(c))) {
            return Optional.of("a tag may not contain quotes, backslashes or control characters, got \"" + tag + "\"");
        }
        return Optional.empty();
    }

    /** Why {@code name} is not acceptable as a workflow name, or empty when it is. */
    public static Optional<String> problemWithName(String name) {
        if (name.isBlank() || name.length() > MAX_NAME_CHARS) {
            return Optional.of("a workflow name must have 1 to " + MAX_NAME_CHARS + " characters");
        }
        if (name.chars().anyMatch(c -> c == '/' || Character.isISOControl(c))) {
            return Optional.of("a workflow name may not contain '/' or control characters (it appears in URLs)");
        }
        return Optional.empty();
    }

    public static Optional<String> problemWithDescription(String description) {
        return description.length() > MAX_DESCRIPTION_CHARS
                ? Optional.of("a description may have at most " + MAX_DESCRIPTION_CHARS + " characters")
                : Optional.empty();
    }

    /** Trimmed, de-duplicated, in order; the caller checked each with {@link #problemWithTag}. */
    public static List<String> normalise(List<String> tags) {
        return new ArrayList<>(new LinkedHashSet<>(tags.stream().map(String::strip).toList()));
    }
}
