package com.casarerpa.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;

/** Schedule fires by result (counted from this instance's change events), their lag, and duplicate fires stopped. */
public final class ScheduleMetrics {
    private final Map<String, Counter> fires;
    private final Timer lag;
    private final Counter duplicates;

    ScheduleMetrics(MeterRegistry registry) {
        fires = Map.of("started", fire(registry, "started"), "skipped", fire(registry, "skipped"));
        lag = Histograms.timer("casare.schedule.lag", "Fire time minus due time, for the scheduler's fires that started a job",
                Histograms.LAG).register(registry);
        duplicates = Counter.builder("casare.schedule.duplicate.fires")
                .description("Fire times found already recorded when this instance came to fire them, not fired again")
                .register(registry);
    }

    /** Records nothing: for a scheduler built without metrics (tests). */
    public static ScheduleMetrics none() {
        return new ScheduleMetrics(new CompositeMeterRegistry());
    }

    private static Counter fire(MeterRegistry registry, String result) {
        return Counter.builder("casare.schedule.fires").description("Schedule fires committed by this instance")
                .tag("result", result).register(registry);
    }

    /** A fire this instance committed: {@code started} or {@code skipped} (a change event's {@code to}). */
    void fired(String result) {
        Counter c = fires.get(result);
        if (c != null) {
            c.increment();
        }
    }

    /** A fire that started a job came {@code lag} after its due time. */
    public void lag(Duration lag) {
        this.lag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    /** {@code n} fire times were found recorded already (another instance, or a manual fire at that millisecond, committed them): not fired again. */
    public void duplicateFires(int n) {
        duplicates.increment(n);
    }
}
