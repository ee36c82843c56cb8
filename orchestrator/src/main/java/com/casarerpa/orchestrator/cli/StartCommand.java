package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.logging.LogTarget;
import com.casarerpa.orchestrator.app.Orchestrator;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code casare-rpa orchestrator start}: runs the server in the foreground until SIGTERM or
 * SIGINT, then drains and stops cleanly.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start the orchestrator server (foreground; stop with Ctrl-C or SIGTERM).")
final class StartCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Option(names = "--host", paramLabel = "HOST", description = "Bind address (orchestrator.host, ORCHESTRATOR_HOST; default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (orchestrator.port, ORCHESTRATOR_PORT; default 8000; 0 = any free port).")
    Integer port;

    @Option(names = "--workers", paramLabel = "N", description = "I/O worker threads (orchestrator.workers, ORCHESTRATOR_WORKERS; default 1).")
    Integer workers;

    @Option(names = "--ssl-cert", paramLabel = "FILE", description = "PEM certificate chain, server certificate first;"
            + " with --ssl-key the port serves HTTPS and WSS only, and a renewed file is used without a restart"
            + " (orchestrator.ssl_cert, ORCHESTRATOR_SSL_CERT).")
    String sslCert;

    @Option(names = "--ssl-key", paramLabel = "FILE", description = "PEM private key of --ssl-cert: RSA or EC, PKCS#8,"
            + " PKCS#1 or SEC1, unencrypted (orchestrator.ssl_key, ORCHESTRATOR_SSL_KEY).")
    String sslKey;

    @Option(names = "--migrate", description = "Apply pending database migrations before starting. Not needed on an empty"
            + " database, which start initialises by itself; without it, a schema with pending migrations is refused.")
    boolean migrate;

    StartCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>();
        if (host != null) {
            flags.put("orchestrator.host", host);
        }
        if (port != null) {
            flags.put("orchestrator.port", port.toString());
        }
        if (workers != null) {
            flags.put("orchestrator.workers", workers.toString());
        }
        if (sslCert != null) {
            flags.put("orchestrator.ssl_cert", sslCert);
        }
        if (sslKey != null) {
            flags.put("orchestrator.ssl_key", sslKey);
        }
        OrchestratorSettings settings = config.load(ctx, flags).settings();
        ConfigOptions.applyLogging(settings.logging(), LogTarget.STDOUT);

        Orchestrator orchestrator = StartFailures.explain(() -> Orchestrator.start(settings,
                migrate ? Orchestrator.SchemaPolicy.MIGRATE : Orchestrator.SchemaPolicy.REQUIRE_CURRENT), settings);
        // On stderr, so that stdout stays one JSON object per line with logging.format json,
        // and never through the logger, so the key does not land in logging.path.
        orchestrator.initialAdminKey().ifPresent(initial -> {
            String key = initial.plaintext();
            PrintWriter err = ctx.err();
            err.println();
            err.println("  First start: created an admin API key. It is shown only this once; store it now:");
            err.println();
            err.println("      " + key);
            err.println();
            initial.file().ifPresent(file -> {
                err.println("  It is also in " + file + " (readable only by this account); delete that file once the key is stored.");
                err.println();
            });
            String base = orchestrator.scheme() + "://" + settings.orchestrator().host() + ":" + orchestrator.port();
            err.println("  Open the dashboard at " + base + "/ and sign in with this key (\"Sign in with an API key instead\").");
            err.println();
            err.println("  Try: curl -H \"Authorization: Bearer " + key + "\" " + base + "/api/v1/api-keys");
            err.println();
            err.println("  To sign in as a person, make the first admin user (it asks for no password on the command line):");
            err.println("      ./casare-rpa orchestrator create-user YOUR_NAME --admin");
            err.println();
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(orchestrator::close, "shutdown"));
        orchestrator.awaitStopped();
        return 0;
    }
}
