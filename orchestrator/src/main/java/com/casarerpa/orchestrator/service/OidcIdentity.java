package com.casarerpa.orchestrator.service;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A person as an OpenID Connect provider vouched for them in an ID token whose signature,
 * issuer, audience, expiry and nonce were checked ({@link OidcClient}). {@code (issuer, subject)}
 * is the identity; everything else is what the provider says today and may change.
 *
 * @param issuer        the provider's issuer URL
 * @param subject       the provider's stable id of the person ({@code sub})
 * @param email         {@code email}, if given
 * @param emailVerified {@code email_verified}; false when absent
 * @param name          {@code name}, if given
 * @param username      the configured username claim ({@code preferred_username}), if given
 * @param groups        the values of the configured groups claim; empty when absent
 */
public record OidcIdentity(String issuer, String subject, Optional<String> email, boolean emailVerified, Optional<String> name,
        Optional<String> username, List<String> groups) {
    public OidcIdentity {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        groups = List.copyOf(groups);
    }
}
