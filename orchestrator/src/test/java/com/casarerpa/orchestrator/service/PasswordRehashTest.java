package com.casarerpa.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.ApiKeyStore;
import com.casarerpa.orchestrator.store.AuditStore;
import com.casarerpa.orchestrator.store.BindingStore;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PasswordResetStore;
import com.casarerpa.orchestrator.store.SessionStore;
import com.casarerpa.orchestrator.store.UserStore;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.MutableClock;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** Argon2id hashes, and a hash made anew at sign-in when the configured parameters changed. */
class PasswordRehashTest {
    private static final PasswordHasher.Params CHEAP = new PasswordHasher.Params(64, 1, 1);
    private static final PasswordHasher.Params DEARER = new PasswordHasher.Params(128, 2, 1);
    private static final String PASSWORD = "correct horse battery";

    @Test
    void a_hash_is_argon2id_with_its_parameters_and_a_salt_of_its_own() {
        PasswordHasher hasher = new PasswordHasher(CHEAP);
        String a = hasher.hash(PASSWORD);
        assertThat(a).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain(PASSWORD);
        assertThat(hasher.hash(PASSWORD)).isNotEqualTo(a);
        assertThat(hasher.matches(PASSWORD, a)).isTrue();
        assertThat(hasher.matches(PASSWORD + "x", a)).isFalse();
        assertThat(hasher.matches(PASSWORD, "$2a$10$not-argon")).isFalse();
        assertThat(hasher.outdated(a)).isFalse();
        assertThat(new PasswordHasher(DEARER).outdated(a)).isTrue();
        assertThat(new PasswordHasher(DEARER).matches(PASSWORD, a)).as("old parameters still verify").isTrue();
    }

    @Nested
    @BothDatabases
    class OnADatabase {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;

        final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        MigratedDatabase db;
        Jdbi jdbi;

        @BeforeEach
        void open() {
            db = database.migrated(dir);
            jdbi = Jdbi3.of(db.database());
        }

        @AfterEach
        void close() {
            db.close();
        }

        private SignInPolicy policy(PasswordHasher.Params params) {
            return new SignInPolicy(params, 12, 5, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofHours(12),
                    Duration.ofHours(24));
        }

        private SignIn signIn(PasswordHasher.Params params) {
            AuditStore audit = new AuditStore(jdbi, clock);
            SignInPolicy policy = policy(params);
            UserSessions sessions = new UserSessions(new SessionStore(jdbi), new ApiKeys(new ApiKeyStore(jdbi), new AccessStore(jdbi),
                    audit, clock), new UserTokens(new com.casarerpa.common.config.Secret(
                    "s".repeat(40)), clock), new AccessControl(new AccessStore(jdbi)), policy, audit, clock);
            return new SignIn(new UserStore(jdbi), sessions, new PasswordHasher(params), policy, audit, clock);
        }

        private String storedHash() {
            return jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM users").mapTo(String.class).one());
        }

        @Test
        void a_sign_in_after_the_parameters_changed_stores_a_hash_with_the_new_ones() {
            AuditStore audit = new AuditStore(jdbi, clock);
            UserStore users = new UserStore(jdbi);
            SessionStore sessions = new SessionStore(jdbi);
            PasswordHasher cheap = new PasswordHasher(CHEAP);
            PasswordTokens tokens = new PasswordTokens(new PasswordResetStore(jdbi), users, sessions, cheap, policy(CHEAP), audit, clock);
            new Users(users, sessions, new BindingStore(jdbi), tokens, cheap, policy(CHEAP), audit, clock)
                    .create("rita", Optional.empty(), Optional.empty(), false, Optional.of(PASSWORD), Actor.localCli());
            String before = storedHash();
            assertThat(before).contains("m=64,t=1,p=1");

            signIn(CHEAP).api("rita", PASSWORD, "127.0.0.1");
            assertThat(storedHash()).as("same parameters: kept").isEqualTo(before);

            signIn(DEARER).api("rita", PASSWORD, "127.0.0.1");
            String after = storedHash();
            assertThat(after).contains("m=128,t=2,p=1");
            assertThat(new PasswordHasher(DEARER).matches(PASSWORD, after)).isTrue();
            signIn(DEARER).api("rita", PASSWORD, "127.0.0.1");
            assertThat(storedHash()).isEqualTo(after);
        }
    }
}
