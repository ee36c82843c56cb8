package com.casarerpa.orchestrator.service;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.HashSet;

/**
 * Usernames for users that single sign-on creates: from the provider's username claim (else the
 * email's local part, else the name), lower case, letters, digits and {@code . _ @ -} only,
 * starting with a letter or digit (the rule of every username), and made unique with a suffix ({@code alice}, {@code alice-2}, …), so a new person never takes
 * over an existing user's name.
 */
final class Usernames {
    static final int MAX = 100;
    private static final int MAX_BASE = MAX - 8;

    private Usernames() {}

    static String fromIdentity(OidcIdentity identity) {
        String raw = identity.username()
                .or(() -> identity.email().map(e -> e.contains("@") ? e.substring(0, e.indexOf('@')) : e))
                .or(identity::name)
                .orElse("user");
        String cleaned = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._@-]+", "-").replaceAll("^[^a-z0-9]+|[-.]+$", "");
        if (cleaned.length() > MAX_BASE) {
            cleaned = cleaned.substring(0, MAX_BASE);
        }
        return cleaned.isEmpty() ? "user" : cleaned;
    }

    /** {@code base}, or {@code base-N} with the smallest N >= 2 that is not {@code taken}. */
    static String unique(String base, Collection<String> taken) {
        Set<String> used = new HashSet<>(taken);
        if (!used.contains(base)) {
            return base;
        }
        for (int n = 2; ; n++) {
            String candidate = base + "-" + n;
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
    }
}
