package com.casarerpa.orchestrator.domain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook request proves it comes from the sender that holds the secret.
 *
 * <ul>
 *   <li>{@link #HMAC}: header {@code X-Casare-Signature: sha256=<hex>} where hex is the
 *       HMAC-SHA256, keyed with the secret, of {@code <timestamp>.<delivery id>.<raw body>}, with
 *       {@code X-Casare-Timestamp} (Unix seconds) and {@code X-Casare-Delivery} sent as headers.
 *       Timestamp and delivery id are signed, so a captured request cannot be replayed later or
 *       under another delivery id.</li>
 *   <li>{@link #KEY}: header {@code X-Casare-Webhook-Key: <key>}, for senders that cannot sign.
 *       Only the key's SHA-256 is stored.</li>
 * </ul>
 * Comparisons take constant time.
 */
public enum WebhookAuth {
    HMAC, KEY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WebhookAuth> fromWire(String name) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(name)).findFirst();
    }

    /** The signature header value a sender computes: {@code sha256=<hex>}. */
    public static String signature(String secret, String timestamp, String deliveryId, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + "." + deliveryId + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The stored form of a key. */
    public static String keyHash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Constant-time equality of two texts. */
    public static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
