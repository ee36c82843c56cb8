package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.workflow.WorkflowJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Text that is not JSON is refused with one line that says what and where, in words a user knows. */
class WorkflowJsonTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"name": "x",\\n  "nodes": [1,\\n }   | Unexpected character ('}' (code 125)): expected a value (line 3, column 2)
            {"name": "x"                        | the object opened at line 1, column 1 is not closed at the end of the input (line 1, column 13)
            {"a": [1, 2                         | the array opened at line 1, column 7 is not closed at the end of the input (line 1, column 12)
            {"name": "x", "name": "y"}          | Duplicate field 'name' (line 1, column 21)
            {"name": "x"}}                      | Unexpected close marker '}': no open Object to close (line 1, column 14)
            {"name": "x"} {"name": "y"}         | more content after the end of the JSON document (line 1, column 15)
            {"a": 1e999999999999}               | Value "1e999999999999" is not a number that can be read: Too many nonzero exponent digits. (line 1, column 7)
            {"a": 1111111111x                   | Unexpected character ('x' (code 120)): was expecting comma to separate Object entries (line 1, column 17)
            nul                                 | Unrecognized token 'nul': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') (line 1, column 1)
            """)
    void a_broken_document_is_one_line_with_where_and_no_jackson_internals(String text, String expected) {
        assertThatThrownBy(() -> WorkflowJson.parse(text.replace("\\n", "\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
    }
}
