package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.error.OrchestratorException;
import java.util.Map;

/**
 * The OpenID Connect provider could not be reached, or answered with something that is not
 * OpenID Connect (HTTP 502, {@code identity_provider_unavailable}, retryable): nothing was
 * changed; try again, and if it lasts, check {@code oidc.issuer} and the provider.
 */
public final class IdentityProviderUnavailable extends OrchestratorException {
    public IdentityProviderUnavailable(String message, Throwable cause) {
        super(502, "identity_provider_unavailable", true, message, cause);
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("reason", "provider_unavailable");
    }
}
