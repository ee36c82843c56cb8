package com.casarerpa.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/** Schedule fires by result (counted from this instance's change events), their lag, and duplicate fires stopped. */
public final class ScheduleMetrics {
    private final Map<String, Counter> fires;
    private final Timer lag;
    private final Counter duplicates;

    ScheduleMetrics(MeterRegistry registry) {
        fires = Map.of("started", fire(registry, "started"), "skipped", fire(registry, "skipped"));
        lag = Histograms.timer("casare.schedule.lag", "Fire time minus due time, for fires that started a job", Histograms.LAG)
                .register(registry);
        duplicates = Counter.builder("casare.schedule.duplicate.fires")
                .description("Fires another instance had already committed (stopped by the unique key)").register(registry);
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

    /** A fire was stopped by the unique key: another instance had committed it. */
    public void duplicateFire() {
        duplicates.increment();
    }
}
