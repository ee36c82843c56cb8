package com.casarerpa.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.common.config.Secret;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The pure parts of single sign-on: the sealed sign-in cookie, return paths, usernames of new users. */
class SingleSignOnPartsTest {
    private static final Secret KEY = new Secret("a-signing-key-of-at-least-32-characters!");
    private static final LoginTransaction TX = new LoginTransaction("st4te", "n0nce", "v3rifier-v3rifier-v3rifier-v3rifier-v3rifier",
            "/jobs?state=failed", URI.create("https://orch.example.com/api/v1/auth/oidc/callback"), LoginTransaction.Mode.TOKEN,
            Instant.parse("2026-01-02T03:04:05Z"));

    @Test
    void a_sealed_transaction_opens_again_with_the_same_key_only() {
        LoginTransactionSeal seal = new LoginTransactionSeal(KEY);
        String sealed = seal.seal(TX);
        assertThat(sealed).doesNotContain("n0nce").doesNotContain("v3rifier").doesNotContain("st4te");
        assertThat(seal.open(sealed)).contains(TX);
        assertThat(new LoginTransactionSeal(KEY).open(sealed)).as("another instance with the same key").contains(TX);
        assertThat(new LoginTransactionSeal(new Secret("another-key-of-at-least-32-characters!!")).open(sealed)).isEmpty();
    }

    @Test
    void a_changed_or_foreign_cookie_does_not_open() {
        LoginTransactionSeal seal = new LoginTransactionSeal(KEY);
        String sealed = seal.seal(TX);
        String[] parts = sealed.split("\\.");
        char last = parts[3].charAt(0);
        parts[3] = (last == 'A' ? 'B' : 'A') + parts[3].substring(1);
        assertThat(seal.open(String.join(".", parts))).isEmpty();
        assertThat(seal.open("")).isEmpty();
        assertThat(seal.open("not.a.jwe.at.all")).isEmpty();
        assertThat(seal.open("eyJhbGciOiJub25lIn0.eyJzdGF0ZSI6InN0NHRlIn0.")).as("an unsigned JWT").isEmpty();
    }

    @Test
    void cookie_names_are_per_state_and_valid_cookie_names() {
        assertThat(SingleSignOn.cookieName("a")).isNotEqualTo(SingleSignOn.cookieName("b"))
                .isEqualTo(SingleSignOn.cookieName("a")).matches("casare_oidc_[0-9a-f]{16}");
        assertThat(SingleSignOn.cookieName("; Path=/ \u00e9")).matches("casare_oidc_[0-9a-f]{16}");
    }

    @Test
    void local_paths_are_kept_and_absent_means_home() {
        assertThat(ReturnPaths.check(Optional.empty())).isEqualTo("/");
        assertThat(ReturnPaths.check(Optional.of(""))).isEqualTo("/");
        assertThat(ReturnPaths.check(Optional.of("/dashboard/jobs?state=failed#top"))).isEqualTo("/dashboard/jobs?state=failed#top");
        assertThat(ReturnPaths.check(Optional.of("/%2F%2Fevil.example"))).as("an encoded slash is a path segment").isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil",
            "evil.example", "javascript:alert(1)", "/a b", "/a\tb", "/\u0000", "data:text/html,x", "/ok\r\nLocation: x"})
    void anything_a_browser_could_take_for_another_site_is_refused(String path) {
        assertThatThrownBy(() -> ReturnPaths.check(Optional.of(path)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("return_to"));
    }

    @Test
    void usernames_come_from_the_claim_else_the_email_else_the_name_and_follow_the_username_rule() {
        assertThat(Usernames.fromIdentity(identity(Optional.of("Alice.Smith"), Optional.of("x@y"), Optional.of("N"))))
                .isEqualTo("alice.smith");
        assertThat(Usernames.fromIdentity(identity(Optional.empty(), Optional.of("Bob.Jones@corp.example"), Optional.of("N"))))
                .isEqualTo("bob.jones");
        assertThat(Usernames.fromIdentity(identity(Optional.empty(), Optional.empty(), Optional.of("Zoë O'Brien"))))
                .isEqualTo("zo-o-brien");
        assertThat(Usernames.fromIdentity(identity(Optional.of("__@@--"), Optional.empty(), Optional.empty()))).isEqualTo("user");
        assertThat(Usernames.fromIdentity(identity(Optional.of("_svc"), Optional.empty(), Optional.empty()))).isEqualTo("svc");
        assertThat(Usernames.fromIdentity(identity(Optional.of("x".repeat(300)), Optional.empty(), Optional.empty())))
                .hasSize(92);
    }

    @Test
    void a_taken_username_gets_the_smallest_free_suffix() {
        assertThat(Usernames.unique("alice", List.of())).isEqualTo("alice");
        assertThat(Usernames.unique("alice", List.of("alice"))).isEqualTo("alice-2");
        assertThat(Usernames.unique("alice", List.of("alice", "alice-2", "alice-4"))).isEqualTo("alice-3");
    }

    private static OidcIdentity identity(Optional<String> username, Optional<String> email, Optional<String> name) {
        return new OidcIdentity("https://idp", "sub", email, true, name, username, List.of());
    }
}
