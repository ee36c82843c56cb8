package com.casarerpa.orchestrator.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT run the server's drain to its end <em>before</em> the JVM's shutdown hooks,
 * then exit with 128 + the signal's number, as the JVM would. Shutdown hooks run all at once, and
 * one of them is H2's, which closes the embedded database: a drain in a hook of its own would
 * lose that race (robot reports accepted but not yet committed would fail). The drain is also a
 * shutdown hook, for every other way the JVM ends ({@code System.exit}, SIGHUP, or {@code -Xrs},
 * which leaves the signals to the JVM); it runs once.
 */
final class ShutdownSignals {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {}

    static void drainOnExit(Runnable drain) {
        AtomicBoolean started = new AtomicBoolean();
        Runnable once = () -> {
            if (started.compareAndSet(false, true)) {
                drain.run();
            }
        };
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> Thread.ofPlatform().name("shutdown").start(() -> {
                    once.run();
                    System.exit(128 + signal.getNumber());
                }));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("SIG{} is left to the JVM ({}): the drain runs as a shutdown hook", name, e.getMessage());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(once, "shutdown"));
    }
}
