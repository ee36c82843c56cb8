package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A person's account. The username is lower-case and unique; a disabled user cannot sign in, and
 * disabling ends every session it has. The password hash is not part of it: only sign-in reads
 * that.
 *
 * @param lockedUntil set while too many failed sign-ins in a row keep the account locked
 */
public record User(String id, String username, Optional<String> email, String displayName, Status status,
        Instant createdAt, String createdBy, Instant updatedAt, Optional<Instant> lastLoginAt, Optional<Instant> lockedUntil) {

    /** 1 to 100 of lower-case letters, digits, {@code . _ @ -}, starting with a letter or digit. */
    public static final String USERNAME_RULE = "1 to 100 characters of a-z, 0-9, '.', '_', '@' and '-', starting with a letter or digit";
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,99}");

    /** A group the user belongs to. */
    public record Group(String id, String name) {}

    public enum Status {
        ACTIVE, DISABLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWire(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /** The stored form of a username as typed: trimmed and lower-case. */
    public static String normalise(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }

    public static boolean isValidUsername(String normalised) {
        return USERNAME.matcher(normalised).matches();
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }
}
