package com.casarerpa.orchestrator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate for {@code 127.0.0.1} and {@code localhost}, made by {@code openssl} in a
 * directory of the test (an RSA key, valid for a day), and clients that trust it and nothing else.
 */
public final class SelfSignedCertificate {
    private final Path certificate;
    private final Path key;
    private final SSLContext trust;

    private SelfSignedCertificate(Path certificate, Path key, SSLContext trust) {
        this.certificate = certificate;
        this.key = key;
        this.trust = trust;
    }

    /** Makes {@code cert.pem} and {@code key.pem} in {@code dir}. */
    public static SelfSignedCertificate make(Path dir) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(), "-out", cert.toString()));
        return new SelfSignedCertificate(cert, key, trusting(cert));
    }

    public Path certificate() {
        return certificate;
    }

    public Path key() {
        return key;
    }

    /** A TLS context that trusts this certificate only. */
    public SSLContext trust() {
        return trust;
    }

    /** An HTTP/1.1 client that trusts this certificate only (WebSockets and Server-Sent Events need HTTP/1.1 here). */
    public HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trust)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static SSLContext trusting(Path cert) {
        try (InputStream in = Files.newInputStream(cert)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + cert, e);
        }
    }

    private static void run(Path dir, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
