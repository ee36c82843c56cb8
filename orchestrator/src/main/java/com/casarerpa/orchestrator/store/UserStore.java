package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * People's accounts in {@code users}, with what sign-in needs besides: the password hash (a PHC
 * string; never the password) and the count of failed sign-ins in a row with the lock it leads
 * to. Usernames are stored as {@link User#normalise} gives them; a second user of a name is a
 * {@link UniqueViolationException}.
 */
public final class UserStore {
    private static final String COLUMNS =
            "id, username, email, display_name, status, created_at, created_by, updated_at, last_login_at, locked_until";

    private final Jdbi jdbi;

    public UserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A user and what sign-in checks: its password hash (empty until one is set) and failures so far. */
    public record Credentials(User user, Optional<String> passwordHash, int failedLogins) {}

    public void insert(User user, Optional<String> passwordHash) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (" + COLUMNS + ", password_hash, failed_logins)"
                        + " VALUES (:id, :username, :email, :display, :status, :created, :by, :updated, NULL, NULL, :hash, 0)")
                .bind("id", user.id())
                .bind("username", user.username())
                .bind("email", user.email().orElse(null))
                .bind("display", user.displayName())
                .bind("status", user.status().wireName())
                .bind("created", ts(user.createdAt()))
                .bind("by", user.createdBy())
                .bind("updated", ts(user.updatedAt()))
                .bind("hash", passwordHash.orElse(null))
                .execute()));
    }

    public Optional<User> findById(String id) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id).map(UserStore::map).findOne()));
    }

    public Optional<User> findByUsername(String username) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE username = :name")
                .bind("name", username).map(UserStore::map).findOne()));
    }

    /** Every user, by username. */
    public List<User> list() {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users ORDER BY username")
                .map(UserStore::map).list()));
    }

    public Optional<Credentials> credentials(String username) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", password_hash, failed_logins FROM users"
                        + " WHERE username = :name")
                .bind("name", username)
                .map((rs, ctx) -> new Credentials(map(rs, ctx), Optional.ofNullable(rs.getString("password_hash")),
                        rs.getInt("failed_logins")))
                .findOne()));
    }

    /** Changes email and display name; false when there is no such user. */
    public boolean update(String id, Optional<String> email, String displayName, Instant at) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE users SET email = :email, display_name = :display,"
                        + " updated_at = :at WHERE id = :id")
                .bind("email", email.orElse(null)).bind("display", displayName).bind("at", ts(at)).bind("id", id)
                .execute())) == 1;
    }

    /** Sets the status; false when the user does not exist or already had it. */
    public boolean setStatus(String id, User.Status status, Instant at) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE users SET status = :status, updated_at = :at"
                        + " WHERE id = :id AND status <> :status")
                .bind("status", status.wireName()).bind("at", ts(at)).bind("id", id)
                .execute())) == 1;
    }

    /** A new password hash; a new password also lifts a lock. */
    public void setPasswordHash(String id, String hash, Instant at) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("UPDATE users SET password_hash = :hash, failed_logins = 0,"
                        + " locked_until = NULL, updated_at = :at WHERE id = :id")
                .bind("hash", hash).bind("at", ts(at)).bind("id", id).execute()));
    }

    /** The same password, hashed anew with other parameters (the user changed nothing). */
    public void rehash(String id, String hash) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
                .bind("hash", hash).bind("id", id).execute()));
    }

    /**
     * Counts a failed sign-in. The {@code attempts}-th failure in a row locks the account until
     * {@code lockUntil} and starts the count again. The row is locked while it is counted, so
     * concurrent failures cannot skip the lock.
     *
     * @return true when this failure locked the account
     */
    public boolean recordFailure(String id, int attempts, Instant lockUntil) {
        return get(() -> jdbi.inTransaction(h -> {
            int failures = h.createQuery("SELECT failed_logins FROM users WHERE id = :id FOR UPDATE")
                    .bind("id", id).mapTo(Integer.class).one() + 1;
            boolean locks = failures >= attempts;
            if (locks) {
                h.createUpdate("UPDATE users SET failed_logins = 0, locked_until = :until WHERE id = :id")
                        .bind("until", ts(lockUntil)).bind("id", id).execute();
            } else {
                h.createUpdate("UPDATE users SET failed_logins = :failures WHERE id = :id")
                        .bind("failures", failures).bind("id", id).execute();
            }
            return locks;
        }));
    }

    /** A successful sign-in: failures forgotten, lock lifted, the time kept. */
    public void recordSuccess(String id, Instant at) {
        run(() -> jdbi.useHandle(h -> h.createUpdate("UPDATE users SET failed_logins = 0, locked_until = NULL,"
                        + " last_login_at = :at WHERE id = :id")
                .bind("at", ts(at)).bind("id", id).execute()));
    }

    /** The groups the user is a member of, by name. */
    public List<User.Group> groupsOf(String userId) {
        return get(() -> jdbi.withHandle(h -> h.createQuery("SELECT g.id, g.name FROM user_groups g"
                        + " JOIN user_group_members m ON m.group_id = g.id WHERE m.user_id = :id ORDER BY g.name")
                .bind("id", userId)
                .map((rs, ctx) -> new User.Group(rs.getString("id"), rs.getString("name")))
                .list()));
    }

    private static User map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new User(
                rs.getString("id"),
                rs.getString("username"),
                Optional.ofNullable(rs.getString("email")),
                rs.getString("display_name"),
                User.Status.fromWire(rs.getString("status")),
                instant(rs.getObject("created_at")).orElseThrow(),
                rs.getString("created_by"),
                instant(rs.getObject("updated_at")).orElseThrow(),
                instant(rs.getObject("last_login_at")),
                instant(rs.getObject("locked_until")));
    }

    private static void run(Runnable action) {
        Jdbi3.run("users", action);
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("users", action);
    }
}
