package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.logging.LogTarget;
import com.casarerpa.orchestrator.config.LoadedConfig;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code start --reload}: development mode. A change of the configuration file drains the
 * instance and starts it again in this JVM with the new configuration (a file that does not load
 * is reported and the running instance kept); the dashboard's files are served from the source
 * tree when there is one, read at each request. Java code is not reloaded.
 */
final class ReloadingServer {
    private static final Logger log = LoggerFactory.getLogger(ReloadingServer.class);
    /** Editors write a file in several steps: changes this close together make one restart. */
    private static final long SETTLE_MILLIS = 300;

    private final CliContext ctx;
    private final Supplier<LoadedConfig> load;
    private final ServerRun.Mode mode;
    private final Object lock = new Object();
    private ServerRun current;
    private boolean stopping;
    private WatchService watcher;

    /** @param load loads the configuration as the command's flags and files say, each time anew */
    ReloadingServer(CliContext ctx, Supplier<LoadedConfig> load, ServerRun.Mode mode) {
        this.ctx = ctx;
        this.load = load;
        this.mode = mode;
    }

    /** Starts, then restarts on each change of the configuration file until {@link #stop()}. */
    void run(LoadedConfig first) throws IOException, InterruptedException {
        Optional<Path> file = first.configFile().map(f -> f.toAbsolutePath().normalize())
                .or(() -> Optional.of(ctx.resolve(com.casarerpa.orchestrator.config.OrchestratorConfig.DEFAULT_FILE)));
        Path dir = file.get().getParent();
        boolean watched = dir != null && dir.toFile().isDirectory();
        synchronized (lock) {
            // Watching starts before the server does: a change made once it answers is never missed.
            watcher = FileSystems.getDefault().newWatchService();
            if (watched) {
                dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
            try {
                current = ServerRun.start(ctx, first.settings(), mode);
            } catch (RuntimeException e) {
                watcher.close();
                throw e;
            }
        }
        log.info("development mode (--reload): a change of {} drains and restarts the server in this JVM; dashboard files {};"
                + " Java code is not reloaded (build and run the command again)", file.get(),
                mode.dashboardSources().map(d -> "are read from " + d + " at each request").orElse("come from the jar (no source tree found)"));
        if (!watched) {
            log.info("{} does not exist: there is no configuration file to watch", dir);
            awaitStop();
            return;
        }
        Path name = file.get().getFileName();
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean changed = key.pollEvents().stream()
                        .anyMatch(e -> e.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(e.context()));
                key.reset();
                if (changed) {
                    settle();
                    restart(file.get());
                }
            }
        } catch (ClosedWatchServiceException e) {
            // stop() closed it
        }
    }

    private void settle() throws InterruptedException {
        WatchKey more;
        while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
            more.pollEvents();
            more.reset();
        }
    }

    private void restart(Path file) {
        LoadedConfig next;
        try {
            next = load.get();
        } catch (ConfigException | IllegalArgumentException e) {
            log.warn("{} changed but was not applied: {}; the server keeps running with the configuration it has", file,
                    e.getMessage());
            return;
        }
        synchronized (lock) {
            if (stopping) {
                return;
            }
            log.info("{} changed: draining and restarting with the new configuration", file);
            if (current != null) {
                current.close();
                current = null;
            }
            ConfigOptions.applyLogging(next.settings().logging(), LogTarget.STDOUT);
            try {
                current = ServerRun.start(ctx, next.settings(), mode);
                log.info("restarted with the new configuration");
            } catch (RuntimeException e) {
                log.error("the restart failed: {}; no server runs until the configuration is changed again", e.getMessage());
            }
        }
    }

    private void awaitStop() throws InterruptedException {
        synchronized (lock) {
            while (!stopping) {
                lock.wait();
            }
        }
    }

    /** Drains and stops the running instance, and ends {@link #run}. */
    void stop() {
        synchronized (lock) {
            stopping = true;
            if (current != null) {
                current.close();
                current = null;
            }
            lock.notifyAll();
            if (watcher != null) {
                try {
                    watcher.close();
                } catch (IOException e) {
                    log.debug("closing the file watcher: {}", e.toString());
                }
            }
        }
    }
}
