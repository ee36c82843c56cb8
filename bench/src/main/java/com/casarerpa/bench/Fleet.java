package com.casarerpa.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** N simulated robots on one fleet key, connected and registered before any job is submitted. */
final class Fleet implements AutoCloseable {
    private final List<SimulatedRobot> robots = new ArrayList<>();
    private final FleetCounters counters = new FleetCounters();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-heartbeats");
        t.setDaemon(true);
        return t;
    });
    // One client (one selector thread) for every robot connection, as a robot process would have.
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static Fleet connect(String baseUrl, String fleetKey, int robots, int slots) {
        Fleet fleet = new Fleet();
        List<CompletableFuture<SimulatedRobot>> pending = new ArrayList<>();
        for (int i = 1; i <= robots; i++) {
            SimulatedRobot robot = new SimulatedRobot("bench-robot-" + i, slots, fleet.counters);
            fleet.robots.add(robot);
            pending.add(robot.connect(fleet.client, baseUrl, fleetKey, fleet.timer));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            fleet.close();
            throw new IllegalStateException("robots could not connect and register: " + e.getMessage(), e);
        }
        return fleet;
    }

    FleetCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        CompletableFuture.allOf(robots.stream().map(SimulatedRobot::close).toArray(CompletableFuture[]::new))
                .orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        timer.shutdownNow();
        client.close();
    }
}
