package com.casarerpa.orchestrator.tls;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM files with BouncyCastle's {@link PEMParser}: every certificate of a file (a chain, as
 * {@code fullchain.pem}), and the one private key of a file, RSA or EC, in any of the forms
 * OpenSSL writes: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and
 * SEC1 ({@code BEGIN EC PRIVATE KEY}, after an optional {@code BEGIN EC PARAMETERS}). Keys
 * become JDK keys through the JDK's own providers; no security provider is installed.
 */
final class PemFiles {
    private static final String KEY_FORMS = "expected PEM: BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY";

    private PemFiles() {}

    /** Every certificate in {@code file}, in file order; at least one. */
    static List<X509Certificate> certificates(Path file) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> chain = new ArrayList<>();
        for (Object o : objects(file, (what, e) -> CertificateProblem.inCertificate(file, what, e))) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw CertificateProblem.inCertificate(file, "certificate " + (chain.size() + 1) + " cannot be used: "
                            + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw CertificateProblem.inCertificate(file, "no certificate in it (expected PEM: BEGIN CERTIFICATE; convert a DER"
                    + " file with: openssl x509 -inform der -in FILE -out FILE.pem)", null);
        }
        return List.copyOf(chain);
    }

    /** The one private key in {@code file}. */
    static PrivateKey privateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<PrivateKey> keys = new ArrayList<>();
        for (Object o : objects(file, (what, e) -> CertificateProblem.inKey(file, what, e))) {
            try {
                if (o instanceof PEMKeyPair pair) {
                    // Only the private half: SEC1 may leave out the public key.
                    keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                } else if (o instanceof PrivateKeyInfo info) {
                    keys.add(converter.getPrivateKey(info));
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw CertificateProblem.inKey(file, "the key is encrypted, which is not supported; write it without a"
                            + " passphrase (openssl pkey -in FILE -out PLAIN.pem) and make it readable only by the account"
                            + " that runs the orchestrator", null);
                }
            } catch (IOException e) {
                throw CertificateProblem.inKey(file, "the key cannot be used: " + e.getMessage(), e);
            }
        }
        if (keys.size() != 1) {
            throw CertificateProblem.inKey(file, keys.isEmpty() ? "no private key in it (" + KEY_FORMS + ")"
                    : keys.size() + " private keys in it; expected one", null);
        }
        return keys.getFirst();
    }

    /** The PEM objects of a file, with a readable problem when it cannot be read or parsed. */
    private static List<Object> objects(Path file, BiFunction<String, Throwable, CertificateProblem> problem) {
        List<Object> found = new ArrayList<>();
        // ISO-8859-1 maps every byte: a binary (DER) file yields "nothing found", not a decoding error.
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                found.add(o);
            }
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw problem.apply(unreadable(file, e), e);
        } catch (IOException | RuntimeException e) {
            throw problem.apply(Files.isDirectory(file) ? unreadable(file, e) : "not valid PEM: " + e.getMessage(), e);
        }
        return found;
    }

    /** Why {@code file} could not be read, in words. */
    static String unreadable(Path file, Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot be read (permission denied for " + System.getProperty("user.name") + ")";
        }
        return Files.isDirectory(file) ? "is a directory, not a PEM file" : "cannot be read: " + e.getMessage();
    }
}
