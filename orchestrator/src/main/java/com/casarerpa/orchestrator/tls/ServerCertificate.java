package com.casarerpa.orchestrator.tls;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate the server presents, from {@code orchestrator.ssl_cert}/{@code ssl_key}, in a
 * Jetty {@link SslContextFactory.Server}. {@link #reloadIfChanged()} reads the files again when
 * their content changed (a renewal) and swaps them into the factory: connections opened after
 * that get the new certificate, open ones keep theirs. A renewal that cannot be used (a key
 * written before its certificate, a mismatched pair) leaves the old certificate in use and is
 * logged once; the next change of the files is tried again.
 */
public final class ServerCertificate {
    private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);

    private final OrchestratorSettings.Tls files;
    private final char[] storePassword;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private volatile ServerCredentials current;
    private volatile String loadedContent;
    private volatile String refusedContent = "";

    private ServerCertificate(OrchestratorSettings.Tls files, ServerCredentials credentials, String content) {
        this.files = files;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        // Only guards the in-memory key store; never written anywhere.
        this.storePassword = Base64.getEncoder().encodeToString(random).toCharArray();
        this.current = credentials;
        this.loadedContent = content;
        factory.setKeyStore(credentials.keyStore(storePassword));
        factory.setKeyStorePassword(new String(storePassword));
        warnIfNotValidNow(credentials);
    }

    /**
     * Reads and checks the files once.
     *
     * @throws CertificateProblem naming the file that is wrong
     */
    public static ServerCertificate load(OrchestratorSettings.Tls files) {
        String content = content(files);
        ServerCredentials credentials = ServerCredentials.read(files.certificateFile(), files.keyFile());
        log.info("TLS: serving {} (from {})", credentials.describe(), files.certificateFile());
        return new ServerCertificate(files, credentials, content);
    }

    /** The factory of the HTTPS connector. */
    public SslContextFactory.Server sslContextFactory() {
        return factory;
    }

    /** The credentials in use now. */
    public ServerCredentials current() {
        return current;
    }

    /**
     * Swaps in the files' certificate and key when their content changed since the last look.
     *
     * @return true when a renewed certificate is now in use
     * @throws Exception when Jetty cannot restart the factory (the loop logs and retries)
     */
    public boolean reloadIfChanged() throws Exception {
        String content;
        try {
            content = content(files);
        } catch (CertificateProblem e) {
            return refuse(e.getMessage(), "gone: " + e.getMessage());
        }
        if (content.equals(loadedContent) || content.equals(refusedContent)) {
            return false;
        }
        ServerCredentials renewed;
        try {
            renewed = ServerCredentials.read(files.certificateFile(), files.keyFile());
        } catch (CertificateProblem e) {
            return refuse(e.getMessage(), content);
        }
        factory.reload(f -> {
            f.setKeyStore(renewed.keyStore(storePassword));
            f.setKeyStorePassword(new String(storePassword));
        });
        current = renewed;
        loadedContent = content;
        refusedContent = "";
        log.info("TLS: renewed certificate in use for new connections: {}", renewed.describe());
        warnIfNotValidNow(renewed);
        return true;
    }

    private boolean refuse(String problem, String content) {
        if (!content.equals(refusedContent)) {
            refusedContent = content;
            log.warn("TLS: the certificate files changed but cannot be used ({}); still serving {} until they are fixed",
                    problem, current.describe());
        }
        return false;
    }

    private static void warnIfNotValidNow(ServerCredentials credentials) {
        Instant now = Instant.now();
        if (now.isAfter(credentials.certificate().getNotAfter().toInstant())
                || now.isBefore(credentials.certificate().getNotBefore().toInstant())) {
            log.warn("TLS: the certificate is not valid now ({}); clients will refuse it", credentials.describe());
        }
    }

    /** A digest of both files' bytes: what changed means a renewal to try. */
    private static String content(OrchestratorSettings.Tls files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(read(files.certificateFile(), true));
            digest.update((byte) 0);
            digest.update(read(files.keyFile(), false));
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file, boolean certificate) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            String problem = PemFiles.unreadable(file, e);
            throw certificate ? CertificateProblem.inCertificate(file, problem, e) : CertificateProblem.inKey(file, problem, e);
        }
    }
}
