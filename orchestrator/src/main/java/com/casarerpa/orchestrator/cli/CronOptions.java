package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.orchestrator.cron.UnixCron;
import com.casarerpa.orchestrator.domain.CronExpression;
import com.casarerpa.orchestrator.domain.InvalidCronException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

/** A cron expression and time zone given on the command line, checked into one readable line. */
final class CronOptions {
    private CronOptions() {}

    static CronExpression check(String cron, Optional<String> timezone) {
        timezone.ifPresent(CronOptions::zone);
        try {
            return UnixCron.parse(cron);
        } catch (InvalidCronException e) {
            throw new CommandFailure("invalid cron \"" + cron + "\": " + e.getMessage(), CommandRunner.EXIT_USAGE, e);
        }
    }

    static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new CommandFailure("unknown time zone \"" + id + "\"; use an IANA zone such as Europe/Berlin or UTC",
                    CommandRunner.EXIT_USAGE, e);
        }
    }
}
