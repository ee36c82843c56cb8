package com.casarerpa.orchestrator.store;

import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/** Finds users by id or username, for bindings and group memberships (the {@code users} table is the people's). */
public final class PrincipalStore {
    private final Jdbi jdbi;

    public PrincipalStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A user as bindings name it. */
    public record UserRef(String id, String username, String status) {
        public boolean active() {
            return status.equals("active");
        }
    }

    /** The user of this id, or else of this username (stored lower-case). */
    public Optional<UserRef> user(String idOrUsername) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT id, username, status FROM users WHERE id = :id OR username = :username"
                        + " ORDER BY CASE WHEN id = :id THEN 0 ELSE 1 END")
                .bind("id", idOrUsername).bind("username", idOrUsername.strip().toLowerCase(java.util.Locale.ROOT))
                .map((rs, ctx) -> new UserRef(rs.getString("id"), rs.getString("username"), rs.getString("status")))
                .findFirst()));
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("users", action);
    }
}
