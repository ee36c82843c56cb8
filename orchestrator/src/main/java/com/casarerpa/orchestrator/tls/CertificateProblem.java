package com.casarerpa.orchestrator.tls;

import java.nio.file.Path;

/**
 * A certificate or key file of {@code orchestrator.ssl_cert}/{@code ssl_key} that cannot be
 * served: missing, unreadable, not PEM, encrypted, or a key that does not belong to the
 * certificate. The message is one line for the operator and names the file.
 */
public final class CertificateProblem extends RuntimeException {
    public CertificateProblem(String message, Throwable cause) {
        super(message, cause);
    }

    static CertificateProblem inCertificate(Path file, String problem, Throwable cause) {
        return new CertificateProblem("TLS certificate file " + file + " (--ssl-cert): " + problem, cause);
    }

    static CertificateProblem inKey(Path file, String problem, Throwable cause) {
        return new CertificateProblem("TLS key file " + file + " (--ssl-key): " + problem, cause);
    }
}
