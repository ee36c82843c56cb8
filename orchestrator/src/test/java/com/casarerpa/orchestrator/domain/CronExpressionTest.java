package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.cron.UnixCron;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cron rules as a table: expression, zone, the instant to start after, and the next fire
 * times (ISO-8601 with the zone's offset, '|' between them). Time is a parameter here, never the
 * wall clock.
 */
class CronExpressionTest {

    @ParameterizedTest(name = "{0} in {1} after {2}")
    @CsvSource(delimiter = ';', textBlock = """
            # weekdays: 1-5 is Monday to Friday; 2027-01-01 is a Friday
            0 9 * * 1-5     ; UTC              ; 2027-01-01T00:00:00Z ; 2027-01-01T09:00Z|2027-01-04T09:00Z|2027-01-05T09:00Z
            0 9 * * MON-FRI ; UTC              ; 2027-01-01T09:00:00Z ; 2027-01-04T09:00Z|2027-01-05T09:00Z
            # 0 and 7 are both Sunday
            0 9 * * 0       ; UTC              ; 2027-01-01T00:00:00Z ; 2027-01-03T09:00Z|2027-01-10T09:00Z
            0 9 * * 7       ; UTC              ; 2027-01-01T00:00:00Z ; 2027-01-03T09:00Z|2027-01-10T09:00Z
            0 9 * * sun     ; UTC              ; 2027-01-01T00:00:00Z ; 2027-01-03T09:00Z
            # both day fields restricted: either matches (13th, or a Friday)
            0 0 13 * 5      ; UTC              ; 2027-01-01T00:00:00Z ; 2027-01-08T00:00Z|2027-01-13T00:00Z|2027-01-15T00:00Z
            # steps, lists, names
            */20 8-9 * * *  ; UTC              ; 2027-01-01T08:30:00Z ; 2027-01-01T08:40Z|2027-01-01T09:00Z|2027-01-01T09:20Z
            0 12 1 JAN,JUL * ; UTC             ; 2027-01-01T12:00:00Z ; 2027-07-01T12:00Z|2028-01-01T12:00Z
            # leap days: only in leap years
            0 0 29 2 *      ; UTC              ; 2027-01-01T00:00:00Z ; 2028-02-29T00:00Z|2032-02-29T00:00Z
            # month ends: the 31st skips shorter months; the 30th skips February
            0 0 31 * *      ; UTC              ; 2027-01-31T00:00:00Z ; 2027-03-31T00:00Z|2027-05-31T00:00Z
            0 0 30 * *      ; UTC              ; 2027-01-30T00:00:00Z ; 2027-03-30T00:00Z
            # macros
            @daily          ; UTC              ; 2027-01-01T10:00:00Z ; 2027-01-02T00:00Z
            @hourly         ; UTC              ; 2027-01-01T10:00:00Z ; 2027-01-01T11:00Z
            @weekly         ; UTC              ; 2027-01-01T00:00:00Z ; 2027-01-03T00:00Z
            @monthly        ; UTC              ; 2027-01-15T00:00:00Z ; 2027-02-01T00:00Z
            @yearly         ; UTC              ; 2027-01-15T00:00:00Z ; 2028-01-01T00:00Z
            # the zone's own wall clock
            0 9 * * *       ; Europe/Berlin    ; 2027-01-01T00:00:00Z ; 2027-01-01T09:00+01:00|2027-01-02T09:00+01:00
            # Berlin springs forward 2027-03-28 02:00 -> 03:00: 02:30 does not exist, fires once at 03:00
            30 2 * * *      ; Europe/Berlin    ; 2027-03-27T12:00:00Z ; 2027-03-28T03:00+02:00|2027-03-29T02:30+02:00
            # every minute across the gap: 01:59, then 03:00 once, then 03:01
            * * * * *       ; Europe/Berlin    ; 2027-03-28T00:58:00Z ; 2027-03-28T01:59+01:00|2027-03-28T03:00+02:00|2027-03-28T03:01+02:00
            # Berlin falls back 2027-10-31 03:00 -> 02:00: 02:30 exists twice, fires once (the first)
            30 2 * * *      ; Europe/Berlin    ; 2027-10-30T12:00:00Z ; 2027-10-31T02:30+02:00|2027-11-01T02:30+01:00
            # hourly across the repeated hour: 02:00 once, then 03:00 (not 02:00 again)
            0 * * * *       ; Europe/Berlin    ; 2027-10-30T23:30:00Z ; 2027-10-31T02:00+02:00|2027-10-31T03:00+01:00
            # New York springs forward 2027-03-14 02:00 -> 03:00
            30 2 * * *      ; America/New_York ; 2027-03-13T12:00:00Z ; 2027-03-14T03:00-04:00|2027-03-15T02:30-04:00
            0 9 * * *       ; America/New_York ; 2027-03-13T15:00:00Z ; 2027-03-14T09:00-04:00
            # New York falls back 2027-11-07 02:00 -> 01:00: 01:30 exists twice, fires once
            30 1 * * *      ; America/New_York ; 2027-11-06T12:00:00Z ; 2027-11-07T01:30-04:00|2027-11-08T01:30-05:00
            """)
    void next_fire_times(String cron, String zone, String after, String expected) {
        List<String> times = UnixCron.parse(cron).next(Instant.parse(after), ZoneId.of(zone), expected.split("\\|").length)
                .stream()
                .map(t -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(ZoneId.of(zone))).replace(":00+", "+")
                        .replace(":00-", "-").replace(":00Z", "Z"))
                .toList();

        assertThat(times).isEqualTo(Arrays.asList(expected.split("\\|")));
    }

    @ParameterizedTest(name = "\"{0}\" is wrong in {1}")
    @CsvSource(delimiter = ';', textBlock = """
            61 * * * *     ; minute
            0 24 * * *     ; hour
            0 9 32 * *     ; day-of-month
            0 9 * 13 *     ; month
            0 9 * * 8      ; day-of-week
            0 9 * * MOX    ; day-of-week
            0 9 * *        ; expression
            0 9 * * * *    ; expression
            @fortnightly   ; expression
            0 0 30 2 *     ; expression
            '   '          ; expression
            """)
    void invalid_expressions_name_the_wrong_part(String cron, String part) {
        assertThatThrownBy(() -> UnixCron.parse(cron))
                .isInstanceOfSatisfying(InvalidCronException.class, e -> {
                    assertThat(e.part()).isEqualTo(part);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }
}
