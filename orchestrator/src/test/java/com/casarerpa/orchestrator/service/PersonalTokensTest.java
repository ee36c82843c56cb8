package com.casarerpa.orchestrator.service;

import static com.casarerpa.orchestrator.testing.AccessFixture.CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.testing.AccessFixture;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.MutableClock;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * A personal token may do what its own bindings and its owner's current bindings both allow:
 * it asks only for what its owner holds, shrinks when the owner loses a role, stops when the
 * owner is disabled or the token expires. PostgreSQL and H2.
 */
class PersonalTokensTest {
    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        final MutableClock clock = new MutableClock(Instant.now());
        AccessFixture f;
        PersonalTokens tokens;
        String finance;
        String ap;
        String ann;

        @BeforeEach
        void open() {
            db = database.migrated(dir);
            f = new AccessFixture(db.database(), clock, 30);
            tokens = f.access.personalTokens();
            finance = f.folder("root", "Finance");
            ap = f.folder(finance, "AP");
            ann = f.user("ann");
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void a_token_does_what_both_it_and_its_owner_may_and_shrinks_with_the_owner() {
            String operatorBinding = f.bind(Principal.USER, ann, "operator", finance);
            f.bind(Principal.USER, ann, "viewer", "root");
            PersonalTokens.Issued issued = tokens.create("nightly script", Optional.of(7),
                    List.of(new PersonalTokens.Requested("operator", "Default/Finance/AP")), f.person(ann));
            assertThat(issued.token().key().owner()).isEqualTo(ApiKey.Owner.user(ann));
            assertThat(issued.token().key().expiresAt()).contains(clock.instant().plus(Duration.ofDays(7)));
            assertThat(issued.token().scopes()).extracting(s -> s.role() + "@" + s.folderPath()).containsExactly("operator@Default/Finance/AP");

            Actor token = f.keys.authenticate(issued.plaintext());
            assertThat(token.kind()).isEqualTo("api_key");
            assertThat(token.may(Permission.JOB_RUN, ap)).isTrue();
            assertThat(token.may(Permission.JOB_RUN, finance)).as("the token asked for AP only").isFalse();
            assertThat(token.may(Permission.WORKFLOW_READ, "root")).as("the owner's viewer role at the root is not the token's")
                    .isFalse();

            f.access.bindings().revoke(finance, operatorBinding, CLI);
            Actor shrunk = f.keys.authenticate(issued.plaintext());
            assertThat(shrunk.may(Permission.JOB_RUN, ap)).as("the owner lost the role").isFalse();
            assertThat(shrunk.may(Permission.WORKFLOW_READ, ap)).as("what the owner still holds (viewer at the root)").isTrue();

            f.setUserStatus(ann, "disabled");
            assertThatThrownBy(() -> f.keys.authenticate(issued.plaintext())).isInstanceOf(NotAuthenticated.class)
                    .hasMessageContaining("not active");
            f.setUserStatus(ann, "active");
            clock.advance(Duration.ofDays(8));
            assertThatThrownBy(() -> f.keys.authenticate(issued.plaintext())).isInstanceOf(NotAuthenticated.class)
                    .hasMessageContaining("expired");
        }

        @Test
        void a_token_asks_only_for_what_its_owner_holds_within_the_longest_lifetime() {
            f.bind(Principal.USER, ann, "viewer", finance);
            Actor person = f.person(ann);
            assertField(() -> tokens.create("t", Optional.empty(), List.of(new PersonalTokens.Requested("operator", finance)), person),
                    "bindings[0].role");
            assertField(() -> tokens.create("t", Optional.empty(), List.of(new PersonalTokens.Requested("viewer", finance),
                    new PersonalTokens.Requested("viewer", "root")), person), "bindings[1].folder");
            assertField(() -> tokens.create("t", Optional.empty(), List.of(new PersonalTokens.Requested("nope", finance)), person),
                    "bindings[0].role");
            assertField(() -> tokens.create("t", Optional.of(31), List.of(new PersonalTokens.Requested("viewer", finance)), person),
                    "expires_in_days");
            assertField(() -> tokens.create("t", Optional.empty(), List.of(), person), "bindings");
            assertField(() -> tokens.create("", Optional.empty(), List.of(new PersonalTokens.Requested("viewer", finance)), person),
                    "name");
            assertThat(f.count("SELECT COUNT(*) FROM api_keys")).as("nothing was made").isZero();

            PersonalTokens.Issued longest = tokens.create("t", Optional.empty(), List.of(new PersonalTokens.Requested("viewer", ap),
                    new PersonalTokens.Requested("viewer", ap)), person);
            assertThat(longest.token().key().expiresAt()).contains(clock.instant().plus(Duration.ofDays(30)));
            assertThat(longest.token().scopes()).as("once each").hasSize(1);
        }

        @Test
        void only_a_person_makes_tokens_and_sees_and_revokes_only_its_own() {
            f.bind(Principal.USER, ann, "viewer", "root");
            String bob = f.user("bob");
            f.bind(Principal.USER, bob, "viewer", "root");
            PersonalTokens.Issued mine = tokens.create("mine", Optional.empty(), List.of(new PersonalTokens.Requested("viewer", "root")),
                    f.person(ann));
            tokens.create("bobs", Optional.empty(), List.of(new PersonalTokens.Requested("viewer", "root")), f.person(bob));
            Actor key = f.keys.authenticate(mine.plaintext());

            assertThatThrownBy(() -> tokens.create("from a key", Optional.empty(),
                    List.of(new PersonalTokens.Requested("viewer", "root")), key)).isInstanceOf(ForbiddenException.class);
            assertThat(tokens.mine(key)).isEmpty();
            assertThat(tokens.mine(f.person(ann))).extracting(t -> t.key().name()).containsExactly("mine");
            String id = mine.token().key().id();
            assertThatThrownBy(() -> tokens.revoke(id, f.person(bob))).isInstanceOf(NotFoundException.class);
            assertThat(tokens.revoke(id, f.person(ann)).key().revokedAt()).isPresent();
            assertThat(tokens.mine(f.person(ann))).isEmpty();
            assertThatThrownBy(() -> f.keys.authenticate(mine.plaintext())).isInstanceOf(NotAuthenticated.class);
        }

        private void assertField(Runnable call, String field) {
            assertThatThrownBy(call::run).isInstanceOf(InvalidInputException.class)
                    .extracting(e -> ((InvalidInputException) e).field()).isEqualTo(field);
        }
    }
}
