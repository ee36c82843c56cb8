package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.Grants;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.ApiKeyStore;
import com.casarerpa.orchestrator.store.KeyCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Creates, lists, revokes and checks API keys. A key is {@code crpa_} followed by 32 random
 * bytes in URL-safe base64; it is returned once, at creation, and only its SHA-256 is stored.
 */
public final class ApiKeys {
    public static final String KEY_PREFIX = "crpa_";
    private static final int SHOWN_PREFIX = 12;

    private final ApiKeyStore store;
    private final KeyCache cache;
    /** Keys whose use this instance recorded within the last minute: a cached key's last use may be older than the database's. */
    private final Cache<String, Instant> touched =
            Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(1)).build();
    private final AccessStore access;
    private final AccessControl accessControl;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final SecretTokens secrets = new SecretTokens();

    public ApiKeys(ApiKeyStore store, AccessStore access, AuditTrail audit, Clock clock) {
        this(store, KeyCache.none(), access, audit, clock);
    }

    /** @param cache where a request's key is looked up ({@link KeyCache#none()}: the database each time) */
    public ApiKeys(ApiKeyStore store, KeyCache cache, AccessStore access, AuditTrail audit, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.access = access;
        this.accessControl = new AccessControl(access);
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A new key: what is stored, the key text, which is never available again, and the folders
     * it names (a robot key's; ids).
     */
    public record IssuedKey(ApiKey key, String plaintext, List<String> folders) {
        public IssuedKey(ApiKey key, String plaintext) {
            this(key, plaintext, List.of());
        }
    }

    /**
     * @param robotId binds a robot key to one robot (from then on, only keys bound to it may act as
     *                that robot: {@link RobotAccess}); empty makes a fleet key (robot role) or
     *                nothing (other roles, where it must be empty)
     */
    public IssuedKey create(String name, Role role, Optional<Instant> expiresAt, Optional<String> robotId, Actor by) {
        return create(name, role, expiresAt, robotId, List.of(), by);
    }

    /**
     * @param folders for a robot key: the folders (ids or paths) the robots that register with it
     *                are assigned to, replacing their assignment; empty leaves their folders alone
     */
    public IssuedKey create(String name, Role role, Optional<Instant> expiresAt, Optional<String> robotId, List<String> folders,
            Actor by) {
        if (!Role.KEY_ROLES.contains(role)) {
            throw new InvalidInputException("role", "expected one of " + Role.keyRoleNames() + ", got \"" + role.wireName() + "\"");
        }
        String trimmed = checkedName(name);
        Instant now = clock.instant();
        checkExpiry(expiresAt, now);
        if (robotId.isPresent() && role != Role.ROBOT) {
            throw new InvalidInputException("robot_id", "only a robot key can be bound to a robot");
        }
        if (robotId.isPresent() && !Robot.isValidId(robotId.get())) {
            throw new InvalidInputException("robot_id", "must be a robot id as robots register it: " + Robot.ID_RULE);
        }
        if (!folders.isEmpty() && role != Role.ROBOT) {
            throw new InvalidInputException("folders", "only a robot key names folders (other keys act through their bindings)");
        }
        List<String> folderIds = folders.isEmpty() ? List.of() : FolderReferences.resolve(accessControl.tree(), folders, "folders");
        String plaintext = newPlaintext();
        String suffix = HexFormat.of().formatHex(bytes(8));
        // A key of the original roles (other than robot) is the credential of a service account
        // of its own, bound at the root to the roles its role stands for (docs/access.md).
        ApiKey.Owner owner = role == Role.ROBOT ? ApiKey.Owner.robot(robotId) : ApiKey.Owner.serviceAccount("sa_" + suffix);
        ApiKey key = new ApiKey("key_" + suffix, trimmed, role, plaintext.substring(0, SHOWN_PREFIX), robotId, now,
                by.describe(), expiresAt, Optional.empty(), Optional.empty(), owner);
        audit.atomically(() -> {
            if (role != Role.ROBOT) {
                String account = owner.id().orElseThrow();
                access.insertServiceAccount(account, trimmed, "The account of API key key_" + suffix + ".", now, by.describe());
                int n = 0;
                for (String r : RoleDefinition.forKeyRole(role)) {
                    access.insertBinding("rb_" + suffix + (n++ == 0 ? "" : "_" + n), ApiKey.Owner.SERVICE_ACCOUNT, account, r,
                            Folder.ROOT_ID, now, by.describe());
                }
            }
            store.insert(key, hash(plaintext));
            store.insertFolders(key.id(), folderIds);
            audit.record(by, "api_key.create", "api_key", key.id(), folderIds.isEmpty()
                    ? Map.of("name", trimmed, "role", role.wireName())
                    : Map.of("name", trimmed, "role", role.wireName(), "folders", folderIds));
        });
        return new IssuedKey(key, plaintext, folderIds);
    }

    /**
     * A key of a service account or a person (a personal token) that acts with its owner's
     * bindings ({@link Role#BINDINGS}), never with a role of its own.
     *
     * @param alongside more writes in the key's transaction (a personal token's own bindings), given the key
     */
    public IssuedKey issue(ApiKey.Owner owner, String name, Optional<Instant> expiresAt, Actor by, Consumer<ApiKey> alongside) {
        String trimmed = checkedName(name);
        Instant now = clock.instant();
        checkExpiry(expiresAt, now);
        String plaintext = newPlaintext();
        ApiKey key = new ApiKey("key_" + HexFormat.of().formatHex(bytes(8)), trimmed, Role.BINDINGS,
                plaintext.substring(0, SHOWN_PREFIX), Optional.empty(), now, by.describe(), expiresAt, Optional.empty(),
                Optional.empty(), owner);
        audit.atomically(() -> {
            store.insert(key, hash(plaintext));
            alongside.accept(key);
            audit.record(by, "api_key.create", "api_key", key.id(), Map.of("name", trimmed, "owner_kind", owner.kind(),
                    "owner_id", owner.id().orElseThrow()));
        });
        return new IssuedKey(key, plaintext);
    }

    /** The keys of one owner, oldest first; revoked ones only when asked. */
    public List<ApiKey> ofOwner(ApiKey.Owner owner, boolean includeRevoked) {
        return store.ofOwner(owner.kind(), owner.id().orElseThrow(), includeRevoked);
    }

    private static String checkedName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 200) {
            throw new InvalidInputException("name", "must be 1 to 200 characters");
        }
        return trimmed;
    }

    private static void checkExpiry(Optional<Instant> expiresAt, Instant now) {
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw new InvalidInputException("expires_at", "must be in the future, got " + expiresAt.get());
        }
    }

    private String newPlaintext() {
        return secrets.next(KEY_PREFIX);
    }

    public List<ApiKey> list(boolean includeRevoked) {
        return store.list(includeRevoked);
    }

    public ApiKey get(String id) {
        return store.findById(id).orElseThrow(() -> new NotFoundException("API key " + id + " does not exist."));
    }

    /**
     * Revokes a key, on every instance at once: the key cache is told before this returns (and
     * learns it from the database should Redis not answer: {@link KeyCache}). Revoking twice is harmless.
     */
    public ApiKey revoke(String id, Actor by) {
        ApiKey key = get(id);
        OptionalLong generation = audit.atomically(() -> {
            OptionalLong raised = store.revoke(id, clock.instant(), by.describe());
            if (raised.isPresent()) {
                audit.record(by, "api_key.revoke", "api_key", id, Map.of("name", key.name()));
            }
            return raised;
        });
        // Inside a caller's transaction this runs before its commit: harmless, entries read before
        // the commit carry an older generation and are refused all the same.
        generation.ifPresent(cache::changed);
        return get(id);
    }

    /** True when no key has ever been created (the quick start then makes the first admin key). */
    public boolean noneExist() {
        return store.isEmpty();
    }

    /** The caller a key stands for, or {@link NotAuthenticated} saying why not. */
    public Actor authenticate(String plaintext) {
        String hash = hash(plaintext);
        // Read from the database (no cache, or a miss), the key comes with its service account's
        // roles: one round trip for both. A key from the cache has its roles read below.
        List<List<AccessStore.HeldRole>> readRoles = new ArrayList<>(1);
        ApiKey key = cache.byHash(hash, () -> store.findWithRolesByHash(hash).map(found -> {
                    readRoles.add(found.roles());
                    return found.stamped();
                }))
                .orElseThrow(() -> new NotAuthenticated("unknown API key"));
        requireActive(key);
        Instant now = clock.instant();
        // The lookup read when the last use was recorded (the database's, or older from the cache,
        // hence the record of this instance's own): no statement while that is recent.
        Instant stale = ApiKeyStore.staleBefore(now);
        Instant lastTouched = touched.getIfPresent(key.id());
        if (key.lastUsedAt().map(last -> last.isBefore(stale)).orElse(true) && (lastTouched == null || lastTouched.isBefore(stale))) {
            store.touch(key.id(), now);
            touched.put(key.id(), now);
        }
        if (!readRoles.isEmpty() && key.owner().kind().equals(ApiKey.Owner.SERVICE_ACCOUNT)) {
            return key.actor(accessControl.grantsFrom(readRoles.getFirst()));
        }
        return actorOf(key);
    }

    /** The caller a key stands for, with what its owner may do now. */
    public Actor actorOf(ApiKey key) {
        return key.actor(switch (key.owner().kind()) {
            case ApiKey.Owner.ROBOT -> Actor.grantsOf(Role.ROBOT);
            case ApiKey.Owner.SERVICE_ACCOUNT -> accessControl.grantsOf(ApiKey.Owner.SERVICE_ACCOUNT, key.owner().id().orElseThrow());
            case ApiKey.Owner.USER -> personalTokenGrants(key);
            default -> throw new NotAuthenticated("API key " + key.id() + " has an owner of unknown kind " + key.owner().kind());
        });
    }

    /**
     * A personal token may do what its own bindings grant and its owner may do now: a role the
     * owner loses is lost to the token at once, and a disabled owner's tokens stop working.
     */
    private Grants personalTokenGrants(ApiKey key) {
        String owner = key.owner().id().orElseThrow();
        if (!access.activeUser(owner)) {
            throw new NotAuthenticated("API key " + key.id() + " is a personal token of user " + owner + ", who is not active");
        }
        return accessControl.grantsOf(ApiKey.Owner.USER, owner).intersect(accessControl.grantsOf("api_key", key.id()));
    }

    /** The key behind a token, checked again so a revoked or expired key's tokens stop working. */
    public ApiKey activeKey(String id) {
        ApiKey key = cache.byId(id, () -> store.findStampedById(id))
                .orElseThrow(() -> new NotAuthenticated("the token's API key no longer exists"));
        requireActive(key);
        return key;
    }

    private void requireActive(ApiKey key) {
        switch (key.status(clock.instant())) {
            case REVOKED -> throw new NotAuthenticated("API key " + key.id() + " was revoked");
            case EXPIRED -> throw new NotAuthenticated("API key " + key.id() + " expired at " + key.expiresAt().orElseThrow());
            case ACTIVE -> { }
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String hash(String plaintext) {
        return SecretTokens.hash(plaintext);
    }
}
