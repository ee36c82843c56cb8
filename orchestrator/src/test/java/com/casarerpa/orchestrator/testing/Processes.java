package com.casarerpa.orchestrator.testing;

import java.util.concurrent.TimeUnit;

/** Stopping the servers a test started as processes (nginx, Prometheus). */
public final class Processes {
    private Processes() {}

    /** SIGTERM, then SIGKILL if it is still there after 10 s; returns once it is gone (or 20 s passed). */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
