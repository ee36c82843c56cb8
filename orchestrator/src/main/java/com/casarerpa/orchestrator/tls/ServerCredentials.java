package com.casarerpa.orchestrator.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server's certificate chain and private key, read from {@code orchestrator.ssl_cert} and
 * {@code ssl_key}, checked to belong together: the key signs, the certificate's public key
 * verifies. The certificate that matches the key comes first in {@link #chain()}, the file's
 * others (intermediate CAs) after it in file order.
 */
public record ServerCredentials(PrivateKey key, List<X509Certificate> chain) {
    public ServerCredentials {
        chain = List.copyOf(chain);
    }

    /** @throws CertificateProblem naming the file that is wrong */
    public static ServerCredentials read(Path certificateFile, Path keyFile) {
        List<X509Certificate> certificates = PemFiles.certificates(certificateFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        String signature = signatureAlgorithm(key).orElseThrow(() -> CertificateProblem.inKey(keyFile, "a "
                + key.getAlgorithm() + " key, which is not supported; use an RSA or EC key", null));
        X509Certificate leaf = certificates.stream().filter(c -> signsFor(key, signature, c.getPublicKey())).findFirst()
                .orElseThrow(() -> CertificateProblem.inKey(keyFile, "does not match the certificate in " + certificateFile
                        + " (" + certificates.getFirst().getSubjectX500Principal().getName() + "); give the key that belongs"
                        + " to it", null));
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        certificates.stream().filter(c -> c != leaf).forEach(chain::add);
        return new ServerCredentials(key, chain);
    }

    /** The server's own certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** A key store of one entry, the key with its chain, protected by {@code password}. */
    KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold the TLS key in a key store: " + e.getMessage(), e);
        }
    }

    /** Subject, serial and validity, for the log. */
    public String describe() {
        X509Certificate c = certificate();
        return c.getSubjectX500Principal().getName() + ", serial " + c.getSerialNumber().toString(16) + ", valid until "
                + c.getNotAfter().toInstant();
    }

    private static Optional<String> signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "RSA" -> Optional.of("SHA256withRSA");
            case "EC", "ECDSA" -> Optional.of("SHA256withECDSA");
            default -> Optional.empty();
        };
    }

    /** Whether {@code key} is the private half of {@code publicKey}: a signature by one verifies with the other. */
    private static boolean signsFor(PrivateKey key, String algorithm, PublicKey publicKey) {
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signed = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signed);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // another kind of key, or another curve: not this key's certificate
        }
    }
}
