package com.casarerpa.orchestrator.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one due schedule does now: the fire times to start jobs for, the missed times it drops
 * (as one skipped fire with a reason), and its next fire time (always after {@code now}: never
 * early, and nothing before {@code now} is left behind).
 *
 * <p>A fire time is <em>missed</em> when it is more than {@link #MISFIRE_GRACE} old at
 * {@code now}; a fire time within the grace is simply on time (an instance polling a little late).
 */
public record FirePlan(List<Instant> fire, Optional<Skip> skipped, Optional<Instant> next) {
    public static final Duration MISFIRE_GRACE = Duration.ofMinutes(1);
    private static final int MAX_COUNTED = 100_000;

    /** Missed fire times dropped by the misfire policy, recorded under the latest of them. */
    public record Skip(Instant scheduledAt, int count, String reason) {}

    /**
     * @param due the schedule's next fire time, at or before {@code now}
     */
    public static FirePlan of(Schedule s, Instant due, Instant now) {
        // Every fire time up to now, keeping at most the latest limit+1 (enough to decide).
        int keep = Math.max(1, s.misfireLimit()) + 1;
        List<Instant> times = new ArrayList<>();
        int total = 0;
        for (Instant t = due; t != null && !t.isAfter(now); t = s.cron().nextAfter(t, s.timezone()).orElse(null)) {
            times.add(t);
            total++;
            if (times.size() > keep) {
                times.removeFirst();
            }
            if (total == MAX_COUNTED) {
                break; // down for ages: a misfire in any case, the count says "at least"
            }
        }
        Optional<Instant> next = s.cron().nextAfter(now, s.timezone());
        Instant latest = times.getLast();
        boolean latestOnTime = !latest.isBefore(now.minus(MISFIRE_GRACE));
        if (total == 1 && latestOnTime) {
            return new FirePlan(List.of(latest), Optional.empty(), next);
        }
        return switch (s.misfirePolicy()) {
            case FIRE_ONCE -> new FirePlan(List.of(latest), total == 1 ? Optional.empty()
                    : Optional.of(new Skip(times.get(times.size() - 2), total - 1, "misfire: " + (total - 1)
                            + " earlier fire time(s) missed while no instance ran; fired once for " + latest)), next);
            case SKIP -> new FirePlan(List.of(), Optional.of(new Skip(latest, total, "misfire: " + total
                    + " fire time(s) missed while no instance ran; misfire_policy skip")), next);
            case FIRE_ALL -> {
                List<Instant> fire = times.size() > s.misfireLimit() ? times.subList(times.size() - s.misfireLimit(), times.size())
                        : times;
                int dropped = total - fire.size();
                yield new FirePlan(List.copyOf(fire), dropped == 0 ? Optional.empty()
                        : Optional.of(new Skip(times.get(times.size() - fire.size() - 1), dropped, "misfire: " + dropped
                                + " fire time(s) beyond misfire_limit " + s.misfireLimit() + " not fired")), next);
            }
        };
    }
}
