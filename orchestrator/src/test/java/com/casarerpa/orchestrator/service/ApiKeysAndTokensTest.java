package com.casarerpa.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.AuditEvent;
import com.casarerpa.orchestrator.domain.AuditFilter;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.ApiKeyStore;
import com.casarerpa.orchestrator.store.AuditStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key and token rules with a clock the test moves, on a real (embedded) database. */
class ApiKeysAndTokensTest {
    private static final Actor ADMIN = Actor.localCli();

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private Database db;
    private ApiKeys keys;
    private AuditStore audit;
    private Tokens tokens;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseUrl.embedded(dataDir), PoolSettings.forCommand());
        new Migrations(db).migrate();
        Jdbi jdbi = Jdbi3.of(db);
        audit = new AuditStore(jdbi, clock);
        keys = new ApiKeys(new ApiKeyStore(jdbi), new AccessStore(jdbi), audit, clock);
        tokens = new Tokens(keys, new Secret("x".repeat(40)), Duration.ofHours(24), clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void a_key_is_crpa_and_at_least_32_random_bytes_and_only_its_hash_is_stored() throws Exception {
        ApiKeys.IssuedKey issued = keys.create("Admin Key", Role.ADMIN, Optional.empty(), Optional.empty(), ADMIN);
        assertThat(issued.plaintext()).startsWith("crpa_").hasSizeGreaterThanOrEqualTo(5 + 43)
                .matches("crpa_[A-Za-z0-9_-]+");
        String stored = Jdbi3.of(db).withHandle(h -> h.createQuery("SELECT key_hash FROM api_keys").mapTo(String.class).one());
        assertThat(stored).isEqualTo(ApiKeys.hash(issued.plaintext())).doesNotContain(issued.plaintext().substring(5));
        Actor actor = keys.authenticate(issued.plaintext());
        assertThat(actor.id()).isEqualTo(issued.key().id());
        assertThat(actor.isAdmin()).isTrue();
    }

    @Test
    void an_expired_key_is_refused_and_says_so() {
        ApiKeys.IssuedKey issued = keys.create("Short", Role.VIEWER, Optional.of(clock.instant().plus(Duration.ofHours(1))),
                Optional.empty(), ADMIN);
        assertThat(keys.authenticate(issued.plaintext()).grants().permissionsSomewhere())
                .isEqualTo(RoleDefinition.builtInRole("viewer").orElseThrow().permissions());
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> keys.authenticate(issued.plaintext()))
                .isInstanceOf(NotAuthenticated.class).hasMessageContaining("expired");
    }

    @Test
    void a_token_expires_after_its_lifetime_and_never_outlives_its_key() {
        ApiKeys.IssuedKey forever = keys.create("Forever", Role.OPERATOR, Optional.empty(), Optional.empty(), ADMIN);
        Tokens.Issued token = tokens.issue(forever.plaintext());
        assertThat(token.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        assertThat(tokens.authenticate(token.token()).id()).isEqualTo(forever.key().id());
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        assertThatThrownBy(() -> tokens.authenticate(token.token()))
                .isInstanceOf(NotAuthenticated.class).hasMessageContaining("expired");

        ApiKeys.IssuedKey brief = keys.create("Brief", Role.OPERATOR, Optional.of(clock.instant().plus(Duration.ofHours(2))),
                Optional.empty(), ADMIN);
        assertThat(tokens.issue(brief.plaintext()).expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
    }

    @Test
    void revoking_a_key_ends_its_tokens_too() {
        ApiKeys.IssuedKey issued = keys.create("Ops", Role.OPERATOR, Optional.empty(), Optional.empty(), ADMIN);
        Tokens.Issued token = tokens.issue(issued.plaintext());
        keys.revoke(issued.key().id(), ADMIN);
        assertThatThrownBy(() -> keys.authenticate(issued.plaintext())).hasMessageContaining("revoked");
        assertThatThrownBy(() -> tokens.authenticate(token.token())).hasMessageContaining("revoked");
        assertThat(keys.revoke(issued.key().id(), ADMIN).status(clock.instant())).isEqualTo(ApiKey.Status.REVOKED);
    }

    @Test
    void a_token_signed_with_another_secret_or_tampered_is_invalid() {
        ApiKeys.IssuedKey issued = keys.create("Ops", Role.OPERATOR, Optional.empty(), Optional.empty(), ADMIN);
        String token = new Tokens(keys, new Secret("y".repeat(40)), Duration.ofHours(1), clock).issue(issued.plaintext()).token();
        assertThatThrownBy(() -> tokens.authenticate(token)).isInstanceOf(NotAuthenticated.class).hasMessage("invalid token");
        assertThatThrownBy(() -> tokens.authenticate("not.a.token")).isInstanceOf(NotAuthenticated.class);
    }

    @Test
    void a_token_without_an_expiry_is_refused_even_with_the_right_signature() {
        ApiKeys.IssuedKey issued = keys.create("Ops", Role.OPERATOR, Optional.empty(), Optional.empty(), ADMIN);
        // What issue() signs, less exp: a token that would otherwise be valid for ever.
        String forever = com.auth0.jwt.JWT.create().withIssuer("casare-rpa-orchestrator").withSubject(issued.key().id())
                .withClaim("role", "operator").withIssuedAt(clock.instant())
                .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256("x".repeat(40)));
        String expiring = com.auth0.jwt.JWT.create().withIssuer("casare-rpa-orchestrator").withSubject(issued.key().id())
                .withClaim("role", "operator").withIssuedAt(clock.instant()).withExpiresAt(clock.instant().plusSeconds(60))
                .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256("x".repeat(40)));

        assertThat(tokens.authenticate(expiring).id()).as("the same token with exp is fine").isEqualTo(issued.key().id());
        assertThatThrownBy(() -> tokens.authenticate(forever)).isInstanceOf(NotAuthenticated.class).hasMessage("invalid token");
    }

    @Test
    void a_persons_access_token_is_never_taken_for_a_keys_token() {
        ApiKeys.IssuedKey issued = keys.create("Ops", Role.OPERATOR, Optional.empty(), Optional.empty(), ADMIN);
        String typedUser = com.auth0.jwt.JWT.create().withIssuer("casare-rpa-orchestrator").withSubject(issued.key().id())
                .withClaim("typ", "user").withExpiresAt(clock.instant().plusSeconds(60))
                .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256("x".repeat(40)));

        assertThatThrownBy(() -> tokens.authenticate(typedUser)).isInstanceOf(NotAuthenticated.class).hasMessage("invalid token");
        assertThat(com.auth0.jwt.JWT.decode(tokens.issue(issued.plaintext()).token()).getClaim("typ").asString())
                .isEqualTo("api_key");
    }

    @Test
    void bad_input_changes_nothing() {
        assertThatThrownBy(() -> keys.create(" ", Role.ADMIN, Optional.empty(), Optional.empty(), ADMIN))
                .isInstanceOf(InvalidInputException.class).extracting(e -> ((InvalidInputException) e).field()).isEqualTo("name");
        assertThatThrownBy(() -> keys.create("Past", Role.ADMIN, Optional.of(clock.instant().minusSeconds(1)), Optional.empty(), ADMIN))
                .isInstanceOf(InvalidInputException.class).extracting(e -> ((InvalidInputException) e).field()).isEqualTo("expires_at");
        assertThatThrownBy(() -> keys.create("Bound", Role.VIEWER, Optional.empty(), Optional.of("robot-1"), ADMIN))
                .isInstanceOf(InvalidInputException.class).extracting(e -> ((InvalidInputException) e).field()).isEqualTo("robot_id");
        assertThat(keys.noneExist()).isTrue();
    }

    @Test
    void creating_and_revoking_are_in_the_audit_trail_with_who_did_it() {
        ApiKeys.IssuedKey issued = keys.create("Ops", Role.OPERATOR, Optional.empty(), Optional.empty(), ADMIN);
        keys.revoke(issued.key().id(), ADMIN);
        List<AuditEvent> events = audit.list(AuditFilter.all(), PageRequest.first(10)).items();
        assertThat(events).extracting(AuditEvent::action).containsExactly("api_key.revoke", "api_key.create");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.actorKind()).isEqualTo("cli");
            assertThat(e.targetId()).isEqualTo(issued.key().id());
            assertThat(e.occurredAt()).isEqualTo(clock.instant());
        });
    }
}
