package com.casarerpa.orchestrator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.testing.TestCertificates;
import com.casarerpa.orchestrator.testing.TestCertificates.Authority;
import com.casarerpa.orchestrator.testing.TestCertificates.Issued;
import com.casarerpa.orchestrator.testing.TestCertificates.KeyForm;
import com.casarerpa.orchestrator.testing.TestCertificates.Kind;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading {@code ssl_cert}/{@code ssl_key}: the forms OpenSSL writes work, and each wrong file is one line naming it. */
class ServerCredentialsTest {
    private static final Authority ROOT = TestCertificates.root("Root");
    private static final Authority INTERMEDIATE = ROOT.intermediate("Intermediate");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} key as {1}")
    @CsvSource({"RSA, PKCS8", "RSA, TRADITIONAL", "EC, PKCS8", "EC, TRADITIONAL"})
    void rsa_and_ec_keys_in_pkcs8_pkcs1_and_sec1_are_read_with_the_chain(Kind kind, KeyForm form) throws Exception {
        Issued issued = INTERMEDIATE.server(kind);
        Path cert = issued.writeChain(dir.resolve("chain.pem"), INTERMEDIATE.certificate());
        Path key = issued.writeKey(dir.resolve("key.pem"), form);
        String header = Files.readString(key).lines().findFirst().orElseThrow();
        assertThat(header).isEqualTo(switch (form) {
            case PKCS8 -> "-----BEGIN PRIVATE KEY-----";
            case TRADITIONAL -> kind == Kind.RSA ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----";
            case ENCRYPTED_PKCS8 -> throw new IllegalStateException();
        });

        ServerCredentials read = ServerCredentials.read(cert, key);
        assertThat(read.chain()).containsExactly(issued.certificate(), INTERMEDIATE.certificate());
        assertThat(read.key().getAlgorithm()).isIn(kind == Kind.RSA ? "RSA" : "EC", "ECDSA");
    }

    @Test
    void keys_and_certificates_made_by_the_openssl_command_are_read() throws Exception {
        // EC PARAMETERS + EC PRIVATE KEY (SEC1), and an RSA key in PKCS#1, as OpenSSL writes them.
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
        openssl("req", "-x509", "-new", "-key", "ec.pem", "-subj", "/CN=ec.test", "-days", "2", "-out", "ec-cert.pem");
        openssl("genrsa", "-traditional", "-out", "rsa.pem", "2048");
        openssl("req", "-x509", "-new", "-key", "rsa.pem", "-subj", "/CN=rsa.test", "-days", "2", "-out", "rsa-cert.pem");
        assertThat(Files.readString(dir.resolve("ec.pem"))).startsWith("-----BEGIN EC PARAMETERS-----");
        assertThat(Files.readString(dir.resolve("rsa.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        assertThat(ServerCredentials.read(dir.resolve("ec-cert.pem"), dir.resolve("ec.pem")).certificate()
                .getSubjectX500Principal().getName()).isEqualTo("CN=ec.test");
        assertThat(ServerCredentials.read(dir.resolve("rsa-cert.pem"), dir.resolve("rsa.pem")).certificate()
                .getSubjectX500Principal().getName()).isEqualTo("CN=rsa.test");
        assertThatThrownBy(() -> ServerCredentials.read(dir.resolve("rsa-cert.pem"), dir.resolve("ec.pem")))
                .hasMessageContaining("does not match the certificate");
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    }

    @Test
    void the_certificate_of_the_key_goes_first_whatever_the_files_order_and_ec_parameters_are_skipped() throws Exception {
        Issued issued = INTERMEDIATE.server(Kind.EC);
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(INTERMEDIATE.certificate());
            w.writeObject(issued.certificate());
        }
        Path cert = Files.writeString(dir.resolve("reversed.pem"), pem.toString());
        // openssl ecparam -genkey writes the curve's parameters before the key.
        Path key = issued.writeKey(dir.resolve("key.pem"), KeyForm.TRADITIONAL);
        Files.writeString(key, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + Files.readString(key));

        assertThat(ServerCredentials.read(cert, key).chain()).containsExactly(issued.certificate(), INTERMEDIATE.certificate());
    }

    @Test
    void each_bad_file_is_one_line_that_names_it() throws Exception {
        Issued issued = INTERMEDIATE.server(Kind.RSA);
        Path cert = issued.writeChain(dir.resolve("cert.pem"), INTERMEDIATE.certificate());
        Path key = issued.writeKey(dir.resolve("key.pem"), KeyForm.PKCS8);
        Path otherKey = INTERMEDIATE.server(Kind.RSA).writeKey(dir.resolve("other-key.pem"), KeyForm.PKCS8);
        Path ecKey = INTERMEDIATE.server(Kind.EC).writeKey(dir.resolve("ec-key.pem"), KeyForm.PKCS8);
        Path encrypted = issued.writeKey(dir.resolve("encrypted.pem"), KeyForm.ENCRYPTED_PKCS8);
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key at all\n");
        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        Path missing = dir.resolve("missing.pem");

        assertProblem(missing, key, "TLS certificate file " + missing + " (--ssl-cert): no such file");
        assertProblem(cert, missing, "TLS key file " + missing + " (--ssl-key): no such file");
        assertProblem(dir, key, "TLS certificate file " + dir + " (--ssl-cert): is a directory");
        assertProblem(garbage, key, "TLS certificate file " + garbage + " (--ssl-cert): no certificate in it");
        assertProblem(key, key, "TLS certificate file " + key + " (--ssl-cert): no certificate in it");
        assertProblem(broken, key, "TLS certificate file " + broken + " (--ssl-cert): not valid PEM");
        assertProblem(cert, garbage, "TLS key file " + garbage + " (--ssl-key): no private key in it");
        assertProblem(cert, cert, "TLS key file " + cert + " (--ssl-key): no private key in it");
        assertProblem(cert, encrypted, "TLS key file " + encrypted + " (--ssl-key): the key is encrypted");
        assertProblem(cert, otherKey, "TLS key file " + otherKey + " (--ssl-key): does not match the certificate in " + cert);
        assertProblem(cert, ecKey, "TLS key file " + ecKey + " (--ssl-key): does not match the certificate in " + cert);
    }

    private static void assertProblem(Path cert, Path key, String message) {
        assertThatThrownBy(() -> ServerCredentials.read(cert, key)).isInstanceOf(CertificateProblem.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith(message).doesNotContain("\n"));
    }

    @Test
    void a_renewal_that_does_not_match_keeps_the_old_certificate_until_the_files_are_fixed() throws Exception {
        Issued first = INTERMEDIATE.server(Kind.EC);
        Path cert = first.writeChain(dir.resolve("cert.pem"), INTERMEDIATE.certificate());
        Path key = first.writeKey(dir.resolve("key.pem"), KeyForm.PKCS8);
        ServerCertificate served = ServerCertificate.load(new OrchestratorSettings.Tls(cert, key));
        served.sslContextFactory().start();
        try {
            assertThat(served.reloadIfChanged()).as("nothing changed").isFalse();

            Issued renewed = INTERMEDIATE.server(Kind.EC);
            renewed.writeChain(cert, INTERMEDIATE.certificate());
            assertThat(served.reloadIfChanged()).as("the key is still the old one").isFalse();
            assertThat(served.current().certificate()).isEqualTo(first.certificate());
            Files.delete(key);
            assertThat(served.reloadIfChanged()).isFalse();

            renewed.writeKey(key, KeyForm.TRADITIONAL);
            assertThat(served.reloadIfChanged()).isTrue();
            assertThat(served.current().certificate()).isEqualTo(renewed.certificate());
            assertThat(served.sslContextFactory().getKeyStore().getCertificate("server")).isEqualTo(renewed.certificate());
        } finally {
            served.sslContextFactory().stop();
        }
    }
}
