package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.TestCertificates;
import com.casarerpa.orchestrator.testing.TestCertificates.Authority;
import com.casarerpa.orchestrator.testing.TestCertificates.Issued;
import com.casarerpa.orchestrator.testing.TestCertificates.KeyForm;
import com.casarerpa.orchestrator.testing.TestCertificates.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestrator start --ssl-cert/--ssl-key} refuses certificate files it cannot serve with
 * one line that names the file, before the database is touched.
 */
class StartTlsTest {
    @TempDir
    Path workDir;

    private Result start(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "start";
        full[1] = "--port";
        full[2] = "0";
        System.arraycopy(args, 0, full, 3, args.length);
        return CliHarness.orchestrator(Map.of("CASARE_DATA_DIR", workDir.resolve("data").toString()), workDir, full);
    }

    private static void assertOneLine(Result r, int exitCode, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).startsWith("error: ").contains(fragments).doesNotContain("\tat ");
    }

    @Test
    void a_missing_unreadable_or_mismatched_file_stops_the_start_in_one_line() throws Exception {
        Authority ca = TestCertificates.root("CA");
        Issued issued = ca.server(Kind.RSA);
        Path cert = issued.writeChain(workDir.resolve("cert.pem"));
        Path key = issued.writeKey(workDir.resolve("key.pem"), KeyForm.TRADITIONAL);
        Path otherKey = ca.server(Kind.EC).writeKey(workDir.resolve("other.pem"), KeyForm.TRADITIONAL);
        Path notAKey = Files.writeString(workDir.resolve("not-a-key.pem"), "hello\n");

        assertOneLine(start("--ssl-cert", "nowhere.pem", "--ssl-key", "key.pem"), 1,
                "cannot start: TLS certificate file " + workDir.resolve("nowhere.pem") + " (--ssl-cert): no such file");
        assertOneLine(start("--ssl-cert", cert.toString(), "--ssl-key", notAKey.toString()), 1,
                "cannot start: TLS key file " + notAKey + " (--ssl-key): no private key in it");
        assertOneLine(start("--ssl-cert", cert.toString(), "--ssl-key", otherKey.toString()), 1,
                "cannot start: TLS key file " + otherKey + " (--ssl-key): does not match the certificate in " + cert);
        assertThat(workDir.resolve("data")).as("refused before the database").doesNotExist();
    }

    @Test
    void a_certificate_without_a_key_is_a_configuration_error() {
        assertOneLine(start("--ssl-cert", "cert.pem"), 2, "orchestrator.ssl_key: required when orchestrator.ssl_cert is set",
                "--ssl-key");
    }

    @Test
    void help_tells_of_the_tls_options() {
        Result r = CliHarness.orchestrator(Map.of(), workDir, "start", "--help");
        assertThat(r.out()).contains("--ssl-cert=FILE", "--ssl-key=FILE", "ORCHESTRATOR_SSL_CERT", "renewed");
    }
}
