package com.casarerpa.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VariableSubstitutionTest {
    private final VariableSubstitution substitution = new VariableSubstitution(Map.of(
            "PGUSER", "casare", "PGPASSWORD", "pa55", "EMPTY", ""));

    @Test
    void a_reference_is_replaced_by_the_variable() {
        assertThat(substitution.expand("${PGUSER}", "k")).isEqualTo("casare");
    }

    @Test
    void text_and_several_references_mix() {
        assertThat(substitution.expand("postgresql://${PGUSER}:${PGPASSWORD}@db:5432/${DB:-casare}?x=1", "k"))
                .isEqualTo("postgresql://casare:pa55@db:5432/casare?x=1");
    }

    @Test
    void the_expansion_names_the_variables_whose_values_went_in_not_the_defaults_used() {
        VariableSubstitution.Expansion e = substitution.substitute("${PGUSER}:${PGPASSWORD}@${HOST:-db}/${PGUSER}", "k");

        assertThat(e.text()).isEqualTo("casare:pa55@db/casare");
        assertThat(e.variables()).containsExactly("PGUSER", "PGPASSWORD");
    }

    @Test
    void the_default_is_used_when_the_variable_is_unset_or_empty() {
        assertThat(substitution.expand("${NOPE:-fallback}", "k")).isEqualTo("fallback");
        assertThat(substitution.expand("${EMPTY:-fallback}", "k")).isEqualTo("fallback");
        assertThat(substitution.expand("${NOPE:-}", "k")).isEmpty();
        assertThat(substitution.expand("${PGUSER:-fallback}", "k")).isEqualTo("casare");
    }

    @Test
    void a_default_may_contain_colons_and_slashes() {
        assertThat(substitution.expand("${API:-http://localhost:8000/api}", "k")).isEqualTo("http://localhost:8000/api");
    }

    @Test
    void text_without_references_and_lone_dollars_stay_as_written() {
        assertThat(substitution.expand("pa$$word $HOME {x}", "k")).isEqualTo("pa$$word $HOME {x}");
    }

    @Test
    void a_doubled_dollar_writes_a_literal_reference() {
        assertThat(substitution.expand("$${PGUSER}", "k")).isEqualTo("${PGUSER}");
    }

    @Test
    void an_unset_variable_without_default_is_an_error_naming_variable_and_key() {
        assertThatThrownBy(() -> substitution.expand("x${DATABASE_URL}", "database.url (config/orchestrator.yaml:12)"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("database.url (config/orchestrator.yaml:12): environment variable DATABASE_URL is not set"
                        + " (referenced as ${DATABASE_URL}); set it, or write ${DATABASE_URL:-} to make it optional"
                        + " or ${DATABASE_URL:-value} for a default");
    }

    @Test
    void an_empty_variable_without_default_counts_as_unset() {
        assertThatThrownBy(() -> substitution.expand("${EMPTY}", "k"))
                .hasMessageContaining("environment variable EMPTY is not set");
    }

    @Test
    void malformed_references_are_errors() {
        assertThatThrownBy(() -> substitution.expand("${PGUSER", "k")).hasMessageStartingWith("k: a ${ without its closing }");
        assertThatThrownBy(() -> substitution.expand("${1X}", "k")).hasMessageStartingWith("k: a ${…} reference needs a variable name");
    }
}
