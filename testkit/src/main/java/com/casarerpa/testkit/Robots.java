package com.casarerpa.testkit;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A group of {@link AutoRobot}s sharing what a robot process would: one HTTP client (one selector
 * thread for every connection) and one timer thread for heartbeats, job run times and reconnects.
 * Closing it stops every robot and waits (up to 10 s) for their connections to close.
 */
public final class Robots implements AutoCloseable {
    private final List<AutoRobot> robots = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auto-robots-timer");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client;
    private boolean closed;

    public Robots() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Robots that connect to {@code wss://} servers whose certificates {@code tls} trusts. */
    public Robots(SSLContext tls) {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).build();
    }

    /** Starts a robot: it connects and registers by itself. */
    public synchronized AutoRobot start(RobotSetup setup, RobotEvents events) {
        if (closed) {
            throw new IllegalStateException("these robots are closed");
        }
        AutoRobot robot = AutoRobot.start(setup, events, client, timer);
        robots.add(robot);
        return robot;
    }

    /** Every robot started, in order. */
    public synchronized List<AutoRobot> all() {
        return List.copyOf(robots);
    }

    /** Completes when every robot started so far registered once; fails, once all are settled, if one could not. */
    public CompletableFuture<Void> registered() {
        return CompletableFuture.allOf(all().stream().map(AutoRobot::ready).toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        CompletableFuture.allOf(all().stream().map(AutoRobot::stop).toArray(CompletableFuture[]::new))
                .orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        timer.shutdownNow();
        client.close();
    }
}
