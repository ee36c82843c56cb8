package com.casarerpa.orchestrator.service;

import com.casarerpa.common.config.Secret;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.util.Date;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a {@link LoginTransaction} into a cookie value and opens it again: an encrypted JWT
 * (JWE, {@code dir} with A256GCM), so the browser can neither read the code verifier and nonce
 * nor change anything without the callback noticing. The key is derived from
 * {@code orchestrator.secret_key} (HMAC-SHA256 over a fixed label), so every instance of a
 * deployment opens what another sealed, and no other use of the secret key shares this key.
 */
final class LoginTransactionSeal {
    private static final String LABEL = "casare-rpa oidc login transaction v1";
    private static final JWEHeader HEADER = new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM);

    private final byte[] key;

    LoginTransactionSeal(Secret secretKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            this.key = mac.doFinal(LABEL.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    String seal(LoginTransaction tx) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("state", tx.state())
                .claim("nonce", tx.nonce())
                .claim("code_verifier", tx.codeVerifier())
                .claim("return_to", tx.returnTo())
                .claim("redirect_uri", tx.redirectUri().toString())
                .claim("mode", tx.mode().name())
                .expirationTime(Date.from(tx.expiresAt()))
                .build();
        EncryptedJWT jwt = new EncryptedJWT(HEADER, claims);
        try {
            jwt.encrypt(new DirectEncrypter(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("A256GCM with a 256-bit key is always available", e);
        }
        return jwt.serialize();
    }

    /** The transaction, or empty when the value was not sealed by this key or was changed (no reason is told). */
    Optional<LoginTransaction> open(String sealed) {
        try {
            EncryptedJWT jwt = EncryptedJWT.parse(sealed);
            if (!HEADER.getAlgorithm().equals(jwt.getHeader().getAlgorithm())
                    || !HEADER.getEncryptionMethod().equals(jwt.getHeader().getEncryptionMethod())) {
                return Optional.empty();
            }
            jwt.decrypt(new DirectDecrypter(key));
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            return Optional.of(new LoginTransaction(c.getStringClaim("state"), c.getStringClaim("nonce"),
                    c.getStringClaim("code_verifier"), c.getStringClaim("return_to"), URI.create(c.getStringClaim("redirect_uri")),
                    LoginTransaction.Mode.valueOf(c.getStringClaim("mode")), c.getExpirationTime().toInstant()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
