package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Robot ids of a {@code casare_robots} notification: one per line, every payload under PostgreSQL's 8,000 bytes. */
class RobotPayloadsTest {
    @Test
    void ids_are_split_into_payloads_under_the_limit_and_none_is_lost_or_cut() {
        List<String> ids = IntStream.range(0, 1000).mapToObj(i -> "r".repeat(1 + i % 128) + i).toList();
        List<String> payloads = PostgresJobNotifications.robotPayloads(ids);
        assertThat(payloads).hasSizeGreaterThan(1);
        assertThat(payloads).allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(PostgresJobNotifications.ROBOTS_PAYLOAD_CHARS).isLessThan(8000));
        assertThat(payloads.stream().flatMap(p -> List.of(p.split("\n")).stream()).toList()).isEqualTo(ids);
        assertThat(PostgresJobNotifications.robotPayloads(List.of("one"))).containsExactly("one");
    }
}
