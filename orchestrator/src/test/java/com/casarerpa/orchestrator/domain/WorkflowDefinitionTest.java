package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.workflow.WorkflowDefinition;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Definitions are kept verbatim: numbers, key order, unknown fields; checksums are of the compact text. */
class WorkflowDefinitionTest {

    @ParameterizedTest
    @ValueSource(strings = {Samples.BATCH, Samples.SNIPPET})
    void samples_survive_a_round_trip_through_the_stored_text_unchanged(String sample) throws Exception {
        String original = Samples.text(sample);
        WorkflowDefinition d = WorkflowDefinition.of(WorkflowJson.parse(original));

        WorkflowDefinition back = WorkflowDefinition.stored(d.text(), d.checksum(), d.sizeBytes(), d.nodeCount());

        assertThat(back.json()).isEqualTo(WorkflowJson.parse(original));
        // the same bytes as the file once its whitespace is removed: keys, order and number spelling kept
        assertThat(back.text()).isEqualTo(withoutWhitespace(original));
        assertThat(d.checksum()).isEqualTo(WorkflowJson.sha256(d.text())).hasSize(64);
        assertThat(d.nodeCount()).isEqualTo(2);
    }

    /** Removes whitespace outside strings (the samples' strings hold no escapes that matter here). */
    private static String withoutWhitespace(String json) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (inString || !Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void the_batch_sample_has_the_size_and_checksum_shown_in_the_docs() {
        WorkflowDefinition d = WorkflowDefinition.of(WorkflowJson.parse(Samples.text(Samples.BATCH)));

        assertThat(d.sizeBytes()).isEqualTo(599);
        assertThat(d.checksum()).startsWith("565d7998d828");
    }

    @Test
    void decimals_keep_their_spelling_and_unknown_fields_stay() {
        JsonNode json = WorkflowJson.parse("""
                {"x_extra": {"a": [1.50, 0.0, 420.6494172646342, 1e400, 12345678901234567890123]},
                 "nodes": {"a": {"node_type": "StartNode", "input_ports": {"exec_in": {"label": 7}}}}}""");

        String text = WorkflowDefinition.of(json).text();

        assertThat(text).isEqualTo("{\"x_extra\":{\"a\":[1.50,0.0,420.6494172646342,1E+400,12345678901234567890123]},"
                + "\"nodes\":{\"a\":{\"node_type\":\"StartNode\",\"input_ports\":{\"exec_in\":{\"label\":7}}}}}");
    }

    @Test
    void a_key_written_twice_is_an_error_not_a_silent_overwrite() {
        assertThatThrownBy(() -> WorkflowJson.parse("{\"nodes\":{},\"nodes\":{}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duplicate field 'nodes'");
    }

    @Test
    void the_declared_name_is_metadata_name_else_the_top_level_name() {
        assertThat(WorkflowDefinition.declaredName(WorkflowJson.parse(Samples.text(Samples.BATCH))))
                .contains("Batch 2.2 - XML Parsing");
        assertThat(WorkflowDefinition.declaredName(WorkflowJson.parse(Samples.text(Samples.SNIPPET))))
                .contains("Snippet with 2 nodes");
        assertThat(WorkflowDefinition.declaredName(WorkflowJson.parse("{\"nodes\":{}}"))).isEmpty();
    }
}
