package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import java.util.Optional;

/**
 * Who a request's credential stands for and, for a signed-in person, the session it belongs to.
 *
 * @param sessionId the session of a person's access token or dashboard cookie; empty for keys
 * @param csrfHash  the SHA-256 of the CSRF token of a dashboard session; empty otherwise
 */
public record Caller(Actor actor, Optional<String> sessionId, Optional<String> csrfHash) {
    public static Caller of(Actor actor) {
        return new Caller(actor, Optional.empty(), Optional.empty());
    }

    /** True when {@code header} is the CSRF token of this caller's dashboard session (constant time). */
    public boolean csrfMatches(String header) {
        return header != null && csrfHash.map(h -> SecretTokens.matches(header, h)).orElse(false);
    }
}
