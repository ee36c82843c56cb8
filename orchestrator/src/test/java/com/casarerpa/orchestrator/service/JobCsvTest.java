package com.casarerpa.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JobCsvTest {

    @Test
    void fields_are_quoted_as_rfc_4180_says_and_records_end_in_crlf() {
        StringWriter out = new StringWriter();
        JobCsv.write(out, Arrays.asList("plain", "a,b", "say \"hi\"", "two\nlines", null, ""));
        assertThat(out.toString()).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\r\n");
    }

    @Test
    void a_field_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe() {
        assertThat(JobCsv.field("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(JobCsv.field("+1")).isEqualTo("'+1");
        assertThat(JobCsv.field("-2")).isEqualTo("'-2");
        assertThat(JobCsv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(JobCsv.field("\tx")).isEqualTo("'\tx");
        assertThat(JobCsv.field("a=b")).isEqualTo("a=b");
    }
}
