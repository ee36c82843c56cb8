package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.Version;
import com.casarerpa.orchestrator.app.InitialAdminKey;
import com.casarerpa.orchestrator.app.Orchestrator;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start of the server in this JVM, as {@code start} does it: the instance up, the quick
 * start's key shown once, the pid file written; {@link #close} drains, stops and removes the pid file.
 */
final class ServerRun implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerRun.class);

    /**
     * How this run is started.
     *
     * @param policy           what to do with pending migrations
     * @param handoff          set by {@code start --daemon} for its child: the key goes into this
     *                         file (made owner-only by the parent, which shows it and deletes it), not to stderr,
     *                         which is the log file; the pid file must be free
     * @param dashboardSources the dashboard's source directory ({@code --reload}), else the jar's files
     */
    record Mode(Orchestrator.SchemaPolicy policy, Optional<Path> handoff, Optional<Path> dashboardSources) {
        boolean daemonChild() {
            return handoff.isPresent();
        }
    }

    private final Orchestrator orchestrator;
    private final PidFile pidFile;
    private final boolean wrotePidFile;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ServerRun(Orchestrator orchestrator, PidFile pidFile, boolean wrotePidFile) {
        this.orchestrator = orchestrator;
        this.pidFile = pidFile;
        this.wrotePidFile = wrotePidFile;
    }

    static ServerRun start(CliContext ctx, OrchestratorSettings settings, Mode mode) {
        PidFile pidFile = new PidFile(settings.lifecycle().pidFile());
        if (mode.daemonChild()) {
            refuseIfHeld(pidFile);
        }
        Orchestrator o = StartFailures.explain(() -> Orchestrator.start(settings, mode.policy(), Clock.systemUTC(),
                mode.dashboardSources()), settings);
        String address = address(o.scheme(), settings.orchestrator().host(), o.port());
        o.initialAdminKey().ifPresent(initial -> showOnce(ctx, initial, mode, address));
        Optional<Path> logFile = mode.daemonChild() ? Optional.of(settings.lifecycle().logFile().toAbsolutePath()) : Optional.empty();
        DatabaseUrl url = DatabaseUrl.of(settings);
        String database = url.isEmbedded() ? "embedded H2 in " + settings.dataDir().toAbsolutePath().normalize() : url.display();
        boolean wrote = pidFile.claim(InstanceInfo.ofThisProcess(address, Version.current(), database, logFile));
        if (!wrote) {
            long holder = pidFile.pid().orElse(0L);
            if (mode.daemonChild()) {
                o.close();
                throw held(pidFile, holder);
            }
            log.warn("the pid file {} belongs to another running orchestrator (pid {}); this one writes none, so 'status' and"
                    + " 'stop' do not see it: give it a --pid-file of its own", pidFile.path(), holder);
        } else {
            log.info("pid {} written to {}", ProcessHandle.current().pid(), pidFile.path());
        }
        return new ServerRun(o, pidFile, wrote);
    }

    private static void refuseIfHeld(PidFile pidFile) {
        pidFile.liveProcess().filter(p -> p.pid() != ProcessHandle.current().pid()).ifPresent(p -> {
            throw held(pidFile, p.pid());
        });
    }

    static CommandFailure held(PidFile pidFile, long pid) {
        return new CommandFailure("an orchestrator is already running with the pid file " + pidFile.path() + " (pid " + pid
                + "); stop it with 'casare-rpa orchestrator stop', or give this one another --pid-file");
    }

    /** The base URL a local client reaches a server bound to {@code host} at ({@code scheme}: http, or https with TLS). */
    static String address(String scheme, String host, int port) {
        String local = switch (host) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
        return scheme + "://" + local + ":" + port;
    }

    private static void showOnce(CliContext ctx, InitialAdminKey initial, Mode mode, String address) {
        if (mode.handoff().isEmpty()) {
            FirstKeyNotice.print(ctx.err(), initial.plaintext(), initial.file(), address);
            return;
        }
        try {
            // No CREATE: once the parent has given up and deleted the file, the key is not left in a new one.
            Files.writeString(mode.handoff().get(), initial.plaintext() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            log.info("first start: created an admin API key; it was shown to the command that started this daemon{}",
                    initial.file().map(f -> " and is in " + f).orElse(""));
        } catch (IOException e) {
            log.warn("first start: created an admin API key, but could not hand it to the command that started this daemon"
                    + " ({}){}", e.getMessage(), initial.file().map(f -> "; it is in " + f).orElse(""));
        }
    }

    Orchestrator orchestrator() {
        return orchestrator;
    }

    /** Blocks until {@link #close()} has finished (the pid file removed too). */
    void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Drains and stops the instance, then removes the pid file it wrote. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            orchestrator.close();
            if (wrotePidFile) {
                pidFile.removeIfNaming(ProcessHandle.current().pid());
            }
        } catch (UncheckedIOException e) {
            log.warn("{}", e.getMessage());
        } finally {
            closed.countDown();
        }
    }
}
