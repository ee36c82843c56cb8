package com.casarerpa.orchestrator.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made in the test with BouncyCastle: a root CA, CAs under it, and server
 * certificates for {@code 127.0.0.1} and {@code localhost}, written as PEM in the forms OpenSSL
 * writes; and the client side: an {@link SSLContext} that trusts a root, and the certificate a
 * new connection is shown.
 */
public final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xffffffL);

    /** RSA or EC (P-256). */
    public enum Kind { RSA, EC }

    /** How a private key is written: PKCS#8 ({@code PRIVATE KEY}), or OpenSSL's traditional form: PKCS#1 for RSA, SEC1 for EC. */
    public enum KeyForm { PKCS8, TRADITIONAL, ENCRYPTED_PKCS8 }

    /** A certificate authority: its key and certificate. */
    public record Authority(KeyPair keys, X509Certificate certificate) {
        /** Writes this CA's certificate as PEM: what a client's trust file holds. */
        public Path writeCertificate(Path file) {
            return write(file, pem(certificate));
        }

        /** A CA under this one. */
        public Authority intermediate(String name) {
            KeyPair k = keyPair(Kind.EC);
            return new Authority(k, sign(this, name, k, true));
        }

        /** A server certificate for 127.0.0.1 and localhost, signed by this CA. */
        public Issued server(Kind kind) {
            KeyPair k = keyPair(kind);
            return new Issued(k, sign(this, "orchestrator.test", k, false), this);
        }
    }

    /** A server certificate with its key and the CA that signed it. */
    public record Issued(KeyPair keys, X509Certificate certificate, Authority issuer) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** Writes the certificate, then {@code chain} (its CAs, nearest first), as one PEM file. */
        public Path writeChain(Path file, X509Certificate... chain) {
            List<Object> all = new ArrayList<>(List.of(certificate));
            all.addAll(List.of(chain));
            return write(file, pem(all.toArray()));
        }

        /** Writes the private key in {@code form}. */
        public Path writeKey(Path file, KeyForm form) {
            try {
                return write(file, pem(switch (form) {
                    case PKCS8 -> new JcaPKCS8Generator(keys.getPrivate(), null);
                    case TRADITIONAL -> traditional(keys.getPrivate());
                    case ENCRYPTED_PKCS8 -> new JcaPKCS8Generator(keys.getPrivate(),
                            new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
                                    .setPassword("secret".toCharArray()).build());
                }));
            } catch (IOException | OperatorCreationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {}

    /**
     * PKCS#1 for RSA; for EC, SEC1 with the curve inside as OpenSSL writes it (BouncyCastle's own
     * writer leaves the curve out, and then no reader can tell which curve the key is on).
     */
    private static Object traditional(PrivateKey key) throws IOException {
        if (!key.getAlgorithm().equals("EC")) {
            return key;
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        return new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
                info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
    }

    /** A self-signed root CA. */
    public static Authority root(String name) {
        KeyPair k = keyPair(Kind.EC);
        return new Authority(k, sign(null, name, k, true));
    }

    /** An SSL context whose only trust anchor is {@code root}. */
    public static SSLContext trusting(X509Certificate root) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The chain a new TLS connection to {@code 127.0.0.1:port} is shown (the server's certificate first). */
    public static List<X509Certificate> presented(SSLContext ssl, int port) {
        try (Socket plain = new Socket("127.0.0.1", port);
             SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return Arrays.stream(chain).map(X509Certificate.class::cast).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair keyPair(Kind kind) {
        try {
            if (kind == Kind.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(Authority issuer, String name, KeyPair subject, boolean ca) {
        try {
            X500Name subjectName = new X500Name("CN=" + name);
            KeyPair signing = issuer == null ? subject : issuer.keys();
            X500Name issuerName = issuer == null ? subjectName
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subjectName, subject.getPublic());
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            }
            String algorithm = signing.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(algorithm)
                    .build(signing.getPrivate())));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM text of certificates, keys and PEM generators, in order. */
    private static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
