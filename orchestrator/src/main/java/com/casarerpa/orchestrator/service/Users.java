package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Binding;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.store.BindingStore;
import com.casarerpa.orchestrator.store.SessionStore;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import com.casarerpa.orchestrator.store.UserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * People's accounts, as admins manage them (REST {@code /api/v1/users}, the CLI): create, list,
 * change, disable (which ends all the user's sessions in the same transaction, and is refused
 * when it would leave no administrator: {@link AdminGuard}), enable, and one-time set-password
 * tokens. No password is ever made up here or shown: a new user gets one
 * from standard input (CLI) or sets it with a one-time token. Every change is audited.
 */
public final class Users {
    private static final int MAX_EMAIL = 320;
    private static final int MAX_DISPLAY_NAME = 200;

    private final UserStore store;
    private final SessionStore sessions;
    private final BindingStore bindings;
    private final AdminGuard guard;
    private final PasswordTokens passwordTokens;
    private final PasswordHasher hasher;
    private final SignInPolicy policy;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Users(UserStore store, SessionStore sessions, BindingStore bindings, PasswordTokens passwordTokens, PasswordHasher hasher,
            SignInPolicy policy, AuditTrail audit, Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.bindings = bindings;
        this.guard = new AdminGuard(bindings, audit);
        this.passwordTokens = passwordTokens;
        this.hasher = hasher;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new user and, when it was made without a password, the one-time token that sets one. */
    public record Created(User user, Optional<PasswordTokens.OneTimeToken> setPassword) {}

    /** A change of a user: absent fields stay; {@code removeEmail} clears the email. */
    public record Changes(Optional<String> email, boolean removeEmail, Optional<String> displayName) {}

    /**
     * @param admin    also binds the user to the admin role at the root folder
     * @param password the password (from standard input); empty: a one-time set-password token instead
     */
    public Created create(String username, Optional<String> email, Optional<String> displayName, boolean admin,
            Optional<String> password, Actor by) {
        String name = User.normalise(username);
        if (!User.isValidUsername(name)) {
            throw new InvalidInputException("username", "must be " + User.USERNAME_RULE + ", got \"" + username + "\"");
        }
        Optional<String> mail = checkedEmail(email);
        String display = checkedDisplayName(displayName.orElse(name));
        password.ifPresent(policy::checkNewPassword);
        Optional<String> hash = password.map(hasher::hash);
        Instant now = clock.instant();
        String suffix = HexFormat.of().formatHex(bytes());
        User user = new User("usr_" + suffix, name, mail, display, User.Status.ACTIVE, now, by.describe(), now,
                Optional.empty(), Optional.empty());
        try {
            return audit.atomically(() -> {
                store.insert(user, hash);
                if (admin) {
                    bindings.insert(new Binding("rb_" + suffix, new Principal(Principal.USER, user.id()), name, RoleDefinition.ADMIN,
                            Folder.ROOT_ID, now, by.describe()));
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("username", name);
                details.put("admin", admin);
                details.put("password_set", hash.isPresent());
                audit.record(by, "user.create", "user", user.id(), details);
                return new Created(user, hash.isPresent() ? Optional.empty() : Optional.of(passwordTokens.issue(user, by)));
            });
        } catch (UniqueViolationException e) {
            throw new ConflictException("user_exists", "a user named " + name + " exists already",
                    Map.of("field", "username", "username", name));
        }
    }

    public List<User> list() {
        return store.list();
    }

    public User get(String id) {
        return store.findById(id).orElseThrow(() -> new NotFoundException("user " + id + " does not exist"));
    }

    public User byUsername(String username) {
        String name = User.normalise(username);
        return store.findByUsername(name).orElseThrow(() -> new NotFoundException("no user is named " + name));
    }

    /** The groups of a user, by name. */
    public List<User.Group> groupsOf(String userId) {
        return store.groupsOf(userId);
    }

    public User update(String id, Changes changes, Actor by) {
        User user = get(id);
        Optional<String> mail = changes.removeEmail() ? Optional.empty()
                : changes.email().isPresent() ? checkedEmail(changes.email()) : user.email();
        String display = changes.displayName().isPresent() ? checkedDisplayName(changes.displayName().get()) : user.displayName();
        audit.atomically(() -> {
            store.update(id, mail, display, clock.instant());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("username", user.username());
            details.put("email_changed", !mail.equals(user.email()));
            details.put("display_name_changed", !display.equals(user.displayName()));
            audit.record(by, "user.update", "user", id, details);
        });
        return get(id);
    }

    /**
     * Disables a user and ends all its sessions at once (one transaction). Disabling twice is
     * harmless. Refused (409 {@code last_admin}) when the user is the last one who can act as admin.
     */
    public User disable(String id, Actor by) {
        User user = get(id);
        guard.atomically("Disabling user " + user.username(), () -> {
            Instant now = clock.instant();
            if (store.setStatus(id, User.Status.DISABLED, now)) {
                int ended = sessions.revokeAllOf(id, now);
                audit.record(by, "user.disable", "user", id, Map.of("username", user.username(), "sessions_ended", ended));
            }
        });
        return get(id);
    }

    public User enable(String id, Actor by) {
        User user = get(id);
        audit.atomically(() -> {
            if (store.setStatus(id, User.Status.ACTIVE, clock.instant())) {
                audit.record(by, "user.enable", "user", id, Map.of("username", user.username()));
            }
        });
        return get(id);
    }

    /** A new one-time set-password token for the user (any earlier one stops working); its password stays until it is used. */
    public PasswordTokens.OneTimeToken resetPassword(String id, Actor by) {
        User user = get(id);
        return audit.atomically(() -> {
            PasswordTokens.OneTimeToken token = passwordTokens.issue(user, by);
            audit.record(by, "user.reset_password", "user", id, Map.of("username", user.username(),
                    "expires_at", token.expiresAt().toString()));
            return token;
        });
    }

    private static Optional<String> checkedEmail(Optional<String> email) {
        Optional<String> mail = email.map(String::strip).filter(e -> !e.isEmpty());
        mail.ifPresent(e -> {
            int at = e.indexOf('@');
            if (e.length() > MAX_EMAIL || at < 1 || at == e.length() - 1 || e.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidInputException("email", "must be an address like name@example.com (at most " + MAX_EMAIL
                        + " characters), got \"" + e + "\"");
            }
        });
        return mail;
    }

    private static String checkedDisplayName(String displayName) {
        String d = displayName.strip();
        if (d.isEmpty() || d.length() > MAX_DISPLAY_NAME) {
            throw new InvalidInputException("display_name", "must be 1 to " + MAX_DISPLAY_NAME + " characters");
        }
        return d;
    }

    private byte[] bytes() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return b;
    }
}
