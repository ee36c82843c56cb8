package com.casarerpa.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTypeTest {
    @Test
    void integers_accept_surrounding_blanks_and_reject_fractions() {
        assertThat(ValueType.integer(0).parse(" 42 ")).isEqualTo(42);
        assertThatThrownBy(() -> ValueType.integer(0).parse("4.2")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ValueType.integer(1, 9).description()).isEqualTo("an integer between 1 and 9");
    }

    @Test
    void a_choice_shows_as_its_first_spelling() {
        Map<String, Integer> words = new LinkedHashMap<>();
        words.put("WARN", 1);
        words.put("WARNING", 1);
        ValueType<Integer> type = ValueType.choice(words);
        assertThat(type.parse("warning")).isEqualTo(1);
        assertThat(type.format(1)).isEqualTo("WARN");
        assertThat(type.description()).isEqualTo("one of WARN, WARNING");
    }

    @Test
    void booleans_take_three_pairs_of_words_in_any_case() {
        assertThat(ValueType.bool().parse("Yes")).isTrue();
        assertThat(ValueType.bool().parse("OFF")).isFalse();
        assertThat(ValueType.bool().format(true)).isEqualTo("true");
        assertThatThrownBy(() -> ValueType.bool().parse("1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void time_zones_are_iana_ids() {
        assertThat(ValueType.timeZone().parse("Europe/Berlin")).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThatThrownBy(() -> ValueType.timeZone().parse("Mars/Olympus")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relative_paths_resolve_against_the_base() {
        assertThat(ValueType.path(Path.of("/srv/app")).parse("./data")).isEqualTo(Path.of("/srv/app/data"));
        assertThat(ValueType.path(Path.of("/srv/app")).parse("/var/lib/x")).isEqualTo(Path.of("/var/lib/x"));
    }

    @Test
    void urls_must_be_http_with_a_host() {
        assertThat(ValueType.httpUrl().parse("https://rpa.example.com/api")).isEqualTo(URI.create("https://rpa.example.com/api"));
        assertThatThrownBy(() -> ValueType.httpUrl().parse("ftp://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValueType.httpUrl().parse("localhost:8000")).isInstanceOf(IllegalArgumentException.class);
    }
}
