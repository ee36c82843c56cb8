package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A link of a user to a person's account at an OpenID Connect provider: whoever signs in there
 * as {@code subject} of {@code issuer} signs in here as the user. Linked by the provider's
 * subject only; the email is what the provider said at the last sign-in, for people to read.
 */
public record UserIdentity(String issuer, String subject, String userId, Optional<String> email, Instant linkedAt) {
    public UserIdentity {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(linkedAt, "linkedAt");
    }
}
