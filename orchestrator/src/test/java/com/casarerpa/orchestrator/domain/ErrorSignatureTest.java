package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErrorSignatureTest {

    private static ErrorSignature of(String type, String message) {
        return ErrorSignature.of(Optional.ofNullable(type), Optional.ofNullable(message));
    }

    @Test
    void messages_differing_only_in_a_number_have_one_signature() {
        ErrorSignature a = of("NodeError", "timeout after 30 ms on attempt 1");
        ErrorSignature b = of("NodeError", "timeout after 4500 ms on attempt 12");
        assertThat(a).isEqualTo(b);
        assertThat(a.text()).isEqualTo("NodeError: timeout after <n> ms on attempt <n>");
        assertThat(a.id()).matches("[0-9a-f]{16}");
    }

    @Test
    void a_different_type_or_different_words_is_another_signature() {
        ErrorSignature timeout = of("NodeError", "timeout after 30 ms");
        assertThat(of("HttpError", "timeout after 30 ms")).isNotEqualTo(timeout);
        assertThat(of("NodeError", "refused after 30 ms")).isNotEqualTo(timeout);
    }

    @Test
    void ids_uuids_hex_quoted_values_paths_urls_and_addresses_become_placeholders() {
        assertThat(ErrorSignature.normalise("job job_01jd3n2v8k4q7w9x0y1z2a3b4c failed")).isEqualTo("job <id> failed");
        assertThat(ErrorSignature.normalise("order 5b0c1d9e-0b7c-4c43-9a1e-2f1f0f5c8a11 missing")).isEqualTo("order <uuid> missing");
        assertThat(ErrorSignature.normalise("bad address 0x7ffe12 and hash deadbeef42cafe")).isEqualTo("bad address <hex> and hash <hex>");
        assertThat(ErrorSignature.normalise("no customer 'ACME Corp' nor \"Globex\"")).isEqualTo("no customer <q> nor <q>");
        assertThat(ErrorSignature.normalise("cannot open /srv/data/in-7.csv for reading")).isEqualTo("cannot open <path> for reading");
        assertThat(ErrorSignature.normalise("cannot open C:\\Users\\bot\\in.xlsx")).isEqualTo("cannot open <path>");
        assertThat(ErrorSignature.normalise("GET https://api.example.com/v1/orders?id=7 gave 503")).isEqualTo("GET <url> gave <n>");
        assertThat(ErrorSignature.normalise("mail to ops@example.com bounced")).isEqualTo("mail to <email> bounced");
        assertThat(ErrorSignature.normalise("row 12, column 3: value -4.5 out of range")).isEqualTo("row <n>, column <n>: value <n> out of range");
    }

    @Test
    void only_the_first_line_counts_whitespace_folds_and_the_length_is_bounded() {
        assertThat(of("E", "\n  first   line 7 \nat Foo.bar(Foo.java:12)")).isEqualTo(of("E", "first line 8"));
        assertThat(ErrorSignature.normalise("x".repeat(1000))).hasSize(ErrorSignature.MAX_PATTERN);
    }

    @Test
    void a_missing_type_reads_as_error_and_a_missing_message_as_empty() {
        assertThat(of(null, null).text()).isEqualTo("error: ");
        assertThat(of(" ", "x 1").text()).isEqualTo("error: x <n>");
        assertThat(of(null, "x 1")).isEqualTo(of("error", "x 2"));
    }

    @Test
    void the_signature_is_stable_and_recognised() {
        ErrorSignature s = of("NodeError", "timeout after 30 ms");
        assertThat(s.id()).isEqualTo(of("NodeError", "timeout after 30 ms").id());
        assertThat(ErrorSignature.isId(s.id())).isTrue();
        assertThat(ErrorSignature.isId("not-a-signature")).isFalse();
        assertThat(ErrorSignature.isId("ABCDEF0123456789")).isFalse();
        assertThatThrownBy(() -> new ErrorSignature("x", "nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
