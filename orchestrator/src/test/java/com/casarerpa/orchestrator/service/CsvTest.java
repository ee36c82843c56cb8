package com.casarerpa.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void fields_are_quoted_as_rfc_4180_says_and_records_end_in_crlf() {
        StringWriter out = new StringWriter();
        Csv.write(out, Arrays.asList("plain", "a,b", "say \"hi\"", "two\nlines", null, ""));
        assertThat(out.toString()).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\r\n");
    }

    @Test
    void a_field_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe() {
        assertThat(Csv.field("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(Csv.field("+1")).isEqualTo("'+1");
        assertThat(Csv.field("-2")).isEqualTo("'-2");
        assertThat(Csv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.field("\tx")).isEqualTo("'\tx");
        assertThat(Csv.field("a=b")).isEqualTo("a=b");
    }
}
