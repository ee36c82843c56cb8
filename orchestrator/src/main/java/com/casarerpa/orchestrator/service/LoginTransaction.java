package com.casarerpa.orchestrator.service;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * One single sign-on under way, from the redirect to the provider to its callback: what the
 * callback must match and where the user goes afterwards. It travels in a cookie sealed with the
 * server's secret key ({@link LoginTransactionSeal}), so the callback may land on any instance.
 *
 * @param state        the OAuth state sent to the provider, which the callback must bring back
 * @param nonce        the nonce the ID token must carry
 * @param codeVerifier the PKCE code verifier (the provider got its S256 challenge)
 * @param returnTo     the local path to go to once signed in
 * @param redirectUri  the callback URL sent to the provider (the token request repeats it)
 * @param mode         how the signed-in user is handed over
 * @param expiresAt    when the callback is too late
 */
public record LoginTransaction(String state, String nonce, String codeVerifier, String returnTo, URI redirectUri, Mode mode,
        Instant expiresAt) {
    public LoginTransaction {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(returnTo, "returnTo");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The random values of one sign-in. */
    public record Secrets(String state, String nonce, String codeVerifier) {}

    /** How the callback hands over the signed-in user. */
    public enum Mode {
        /** A dashboard session cookie and a redirect to {@code returnTo}. */
        BROWSER,
        /** The token JSON of {@code POST /api/v1/auth/login}, for API clients. */
        TOKEN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
