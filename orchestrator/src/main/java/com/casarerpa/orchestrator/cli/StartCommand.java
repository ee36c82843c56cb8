package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.logging.LogTarget;
import com.casarerpa.orchestrator.app.Orchestrator;
import com.casarerpa.orchestrator.config.LoadedConfig;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code casare-rpa orchestrator start}: runs the server in the foreground until SIGTERM or
 * SIGINT, then drains and stops cleanly; with {@code --daemon} in the background
 * ({@link DaemonStart}); with {@code --reload} in development mode ({@link ReloadingServer}).
 * Every start writes the pid file once the server is up, so {@code status} and {@code stop} work
 * under systemd too.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start the orchestrator server (foreground; stop with Ctrl-C, SIGTERM or 'casare-rpa orchestrator stop').",
            "Once up it writes its pid file (--pid-file; default <data dir>/orchestrator.pid) for 'status' and 'stop'."})
final class StartCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--host", paramLabel = "HOST", description = "Bind address (orchestrator.host, ORCHESTRATOR_HOST; default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (orchestrator.port, ORCHESTRATOR_PORT; default 8000; 0 = any free port).")
    Integer port;

    @Option(names = "--workers", paramLabel = "N", description = "Threads that read and write the sockets (Jetty selectors; requests"
            + " run on virtual threads whatever N is) (orchestrator.workers, ORCHESTRATOR_WORKERS; 1-256, default 1). Measured: 2 x the"
            + " cores does no harm and may help a little. One JVM uses every core: to scale, run more instances, not more workers.")
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

    @Option(names = "--daemon", description = "Run in the background: detach, send the output to the log file, print the pid,"
            + " address and log file once the server answers /health, and return.")
    boolean daemon;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Pid file (orchestrator.pid_file, ORCHESTRATOR_PID_FILE;"
            + " default <data dir>/orchestrator.pid).")
    Path pidFile;

    @Option(names = "--log-file", paramLabel = "FILE", description = "With --daemon: where the output goes (orchestrator.log_file,"
            + " ORCHESTRATOR_LOG_FILE; default <data dir>/orchestrator.log).")
    Path logFile;

    @Option(names = "--reload", description = "Development: a change of the configuration file restarts the server in this JVM"
            + " (it drains first); the dashboard's files are served from the source tree when there is one. Java code is not reloaded.")
    boolean reload;

    /** Given by {@code --daemon} to the process it starts: the owner-only file the first admin key is handed over in. */
    @Option(names = DaemonStart.HANDOFF_OPTION, hidden = true)
    Path handoff;

    StartCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        Map<String, String> flags = flags();
        LoadedConfig loaded = config.load(ctx, flags);
        OrchestratorSettings settings = loaded.settings();
        if (daemon) {
            if (reload) {
                throw new CommandFailure("--daemon and --reload do not go together: --reload is for development, in a terminal");
            }
            return new DaemonStart(ctx, settings).run(List.copyOf(spec.root().commandLine().getParseResult().originalArgs()));
        }
        ConfigOptions.applyLogging(settings.logging(), LogTarget.STDOUT);
        Orchestrator.SchemaPolicy policy = migrate ? Orchestrator.SchemaPolicy.MIGRATE : Orchestrator.SchemaPolicy.REQUIRE_CURRENT;
        if (reload) {
            ReloadingServer server = new ReloadingServer(ctx, () -> config.load(ctx, flags),
                    new ServerRun.Mode(policy, Optional.empty(), DashboardSources.find(ctx.workingDir())));
            ShutdownSignals.drainOnExit(server::stop);
            server.run(loaded);
            return 0;
        }
        ServerRun run = ServerRun.start(ctx, settings, new ServerRun.Mode(policy, Optional.ofNullable(handoff), Optional.empty()));
        ShutdownSignals.drainOnExit(run::close);
        run.awaitClosed();
        return 0;
    }

    /** The options given on the command line, as the settings they set (unset options are left out). */
    private Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        java.util.function.BiConsumer<String, Object> given = (key, value) -> {
            if (value != null) {
                flags.put(key, value.toString());
            }
        };
        given.accept("orchestrator.host", host);
        given.accept("orchestrator.port", port);
        given.accept("orchestrator.workers", workers);
        given.accept("orchestrator.pid_file", pidFile);
        given.accept("orchestrator.log_file", logFile);
        given.accept("orchestrator.ssl_cert", sslCert);
        given.accept("orchestrator.ssl_key", sslKey);
        return flags;
    }
}
