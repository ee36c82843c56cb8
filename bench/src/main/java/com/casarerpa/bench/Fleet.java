package com.casarerpa.bench;

import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * N robots on one fleet key, connected and registered before any job is submitted: the test
 * kit's automatic robots, each completing a job the moment it is assigned ({@code job_started}
 * then {@code job_completed}); a job counts as done when the server acks its {@code job_completed}
 * (the ack means it is committed).
 */
final class Fleet implements AutoCloseable {
    private final FleetCounters counters = new FleetCounters();
    private final Robots robots = new Robots();

    static Fleet connect(String baseUrl, String fleetKey, int robots, int slots) {
        Fleet fleet = new Fleet();
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws/robots");
        for (int i = 1; i <= robots; i++) {
            fleet.robots.start(RobotSetup.immediate(fleetKey, uri, "bench-robot-" + i, "bench", "casare-bench", slots),
                    fleet.counters);
        }
        try {
            fleet.robots.registered().get(60, TimeUnit.SECONDS);
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
        robots.close();
    }
}
