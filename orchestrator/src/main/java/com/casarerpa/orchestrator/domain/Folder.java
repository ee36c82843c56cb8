package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A folder of the tree that workflows, schedules, webhooks, jobs and robots belong to. The root
 * ({@link #ROOT_ID}, named "Default") has no parent; everything is in it until teams make
 * folders of their own.
 */
public record Folder(String id, String name, Optional<String> parentId, String description, Instant createdAt,
        String createdBy) {
    public static final String ROOT_ID = "root";
    public static final int MAX_NAME = 100;
    public static final int MAX_DESCRIPTION = 1000;
    /** What a folder name must be, for messages. */
    public static final String NAME_RULE = "1 to " + MAX_NAME + " characters, without '/' or control characters";

    public boolean isRoot() {
        return parentId.isEmpty();
    }

    /** True when {@code name} (already stripped) may name a folder ({@link #NAME_RULE}): paths are names joined by '/'. */
    public static boolean isValidName(String name) {
        return !name.isEmpty() && name.length() <= MAX_NAME && name.indexOf('/') < 0
                && name.chars().noneMatch(Character::isISOControl);
    }
}
