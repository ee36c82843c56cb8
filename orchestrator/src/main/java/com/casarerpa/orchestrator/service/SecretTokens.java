package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.workflow.WorkflowJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Opaque secrets handed out once (API keys, refresh tokens, session cookies, CSRF and
 * set-password tokens): a short prefix that says what it is, then 32 random bytes in URL-safe base64. Only
 * their SHA-256 is stored, and compared in constant time.
 */
final class SecretTokens {
    private static final int BYTES = 32;
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    /** A new secret, {@code prefix} followed by 43 URL-safe characters. */
    String next(String prefix) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        return prefix + URL_SAFE.encodeToString(b);
    }

    /** The SHA-256 of a secret, in hex, as stored (API keys' too). */
    static String hash(String secret) {
        return WorkflowJson.sha256(secret);
    }

    /** True when {@code secret} hashes to {@code storedHash}, compared in constant time. */
    static boolean matches(String secret, String storedHash) {
        return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
