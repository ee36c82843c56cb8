package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A single sign-on that did not end with a signed-in user, and why: {@code details.reason} is a
 * stable word ({@code state_mismatch}, {@code nonce_mismatch}, {@code id_token_invalid}, …) and
 * the message says what to do. Nothing was changed.
 */
public final class SignInRefused extends OrchestratorException {
    private final Map<String, Object> details;

    private SignInRefused(int status, String code, String reason, String message, Map<String, Object> more) {
        super(status, code, false, message, null);
        Map<String, Object> d = new HashMap<>(more);
        d.put("reason", reason);
        this.details = Map.copyOf(d);
    }

    /** The callback does not belong to a sign-in this browser started (400, {@code details.field} state). */
    static SignInRefused badState(String reason, String message) {
        return new SignInRefused(400, "invalid_request", reason, "state: " + message, Map.of("field", "state"));
    }

    /** The callback lacks something the provider always sends (400). */
    static SignInRefused badCallback(String field, String message) {
        return new SignInRefused(400, "invalid_request", "invalid_callback", field + ": " + message, Map.of("field", field));
    }

    /** The provider or its answer did not prove who signed in (401). */
    static SignInRefused unauthenticated(String reason, String message) {
        return unauthenticated(reason, message, Optional.empty());
    }

    /** As {@link #unauthenticated(String, String)}, with the OAuth error code the provider gave. */
    static SignInRefused unauthenticated(String reason, String message, Optional<String> providerError) {
        return new SignInRefused(401, "unauthorized", reason, message,
                providerError.<Map<String, Object>>map(e -> Map.of("provider_error", e)).orElse(Map.of()));
    }

    /** The person is known and proved, but may not sign in (403): disabled, or no user linked. */
    static SignInRefused forbidden(String reason, String message) {
        return new SignInRefused(403, "forbidden", reason, message, Map.of());
    }

    public String reason() {
        return (String) details.get("reason");
    }

    @Override
    public Map<String, Object> details() {
        return details;
    }
}
