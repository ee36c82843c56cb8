package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.orchestrator.domain.CronExpression;
import com.casarerpa.orchestrator.service.TriggerViews;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code test-cron "EXPR"}: the next fire times of an expression, one per line (ISO-8601 with the
 * zone's offset, and the weekday), by the same rules the scheduler fires by, daylight saving
 * included. Needs no database.
 */
@Command(name = "test-cron", mixinStandardHelpOptions = true,
        description = "Print the next fire times of a cron expression (five fields or @daily, @hourly, ...).")
final class TestCronCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Parameters(index = "0", paramLabel = "EXPR", description = "The cron expression, quoted: \"0 9 * * 1-5\".")
    String cron;

    @Option(names = "--timezone", paramLabel = "ZONE", description = "IANA time zone (default: scheduler.timezone).")
    String timezone;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10", description = "How many fire times (1-100, default 10).")
    int count;

    @Option(names = "--from", paramLabel = "INSTANT", description = "Start after this ISO-8601 instant instead of now.")
    String from;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    TestCronCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (count < 1 || count > 100) {
            throw new CommandFailure("--count must be from 1 to 100, got " + count, CommandRunner.EXIT_USAGE, null);
        }
        CronExpression expression = CronOptions.check(cron, Optional.ofNullable(timezone));
        ZoneId zone = timezone != null ? CronOptions.zone(timezone) : config.load(ctx).settings().scheduler().timezone();
        Instant start = from == null ? Instant.now() : parse(from);
        List<Instant> times = expression.next(start, zone, count);
        if (json) {
            JsonOutput.print(ctx.out(), Map.of("cron", expression.text(), "timezone", zone.getId(), "items",
                    times.stream().map(t -> TriggerViews.time(t, zone)).toList()));
            return 0;
        }
        for (Instant t : times) {
            ctx.out().println(TriggerViews.local(t, zone) + "  " + TriggerViews.time(t, zone).get("weekday"));
        }
        return 0;
    }

    private static Instant parse(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new CommandFailure("--from must be an ISO-8601 instant such as 2027-03-28T00:00:00Z, got \"" + text + "\"",
                    CommandRunner.EXIT_USAGE, e);
        }
    }
}
