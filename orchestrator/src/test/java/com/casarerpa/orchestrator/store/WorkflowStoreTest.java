package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.domain.WorkflowFilter;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.workflow.WorkflowDefinition;
import com.casarerpa.orchestrator.workflow.WorkflowVersion;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** The workflow store on JDBI: transactions, the one wrapping of database errors, LIKE filters; on PostgreSQL and H2. */
class WorkflowStoreTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        WorkflowStore store;

        MigratedDatabase open() {
            return database.migrated(dir);
        }

        @BeforeEach
        void openStore() {
            db = open();
            store = new WorkflowStore(Jdbi3.of(db.database()));
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void a_taken_name_is_a_unique_violation_and_rolls_the_transaction_back() {
            insert(workflow("w1", "Invoices", List.of()));

            assertThatThrownBy(() -> store.inTransaction(rows -> {
                rows.insert(workflow("w2", "Other", List.of()));
                rows.insert(workflow("w3", "Invoices", List.of()));
                return null;
            })).isInstanceOf(UniqueViolationException.class).hasMessageStartingWith("workflows: ");

            Optional<Workflow> other = store.inTransaction(rows -> rows.find("w2", false));
            assertThat(other).isEmpty();
        }

        @Test
        void other_statement_failures_are_database_access_exceptions() {
            WorkflowVersion orphan = new WorkflowVersion("missing", 1, definition(), NOW, "test");

            assertThatThrownBy(() -> store.inTransaction(rows -> {
                rows.insert(orphan);
                return null;
            })).isInstanceOf(DatabaseAccessException.class).isNotInstanceOf(UniqueViolationException.class);
        }

        @Test
        void what_the_work_throws_passes_unchanged_and_rolls_back() {
            IllegalStateException thrown = new IllegalStateException("no");

            assertThatThrownBy(() -> store.inTransaction(rows -> {
                rows.insert(workflow("w1", "Invoices", List.of()));
                throw thrown;
            })).isSameAs(thrown);

            List<Workflow> all = store.inTransaction(WorkflowRows::all);
            assertThat(all).isEmpty();
        }

        @Test
        void no_connection_is_database_unavailable() {
            db.database().close();

            assertThatThrownBy(() -> store.inTransaction(WorkflowRows::all))
                    .isInstanceOf(DatabaseUnavailableException.class);
        }

        @Test
        void like_filters_take_wildcards_and_escape_characters_literally() {
            insert(workflow("w1", "a!b_c\\d%e", List.of("t!_\\%")));
            insert(workflow("w2", "aXbYc-dZe", List.of("tX-Y")));

            assertThat(names(Optional.of("!b_c\\d%"), Optional.of("t!_\\%"))).containsExactly("a!b_c\\d%e");
            assertThat(names(Optional.of("_"), Optional.empty())).containsExactly("a!b_c\\d%e");
            assertThat(names(Optional.of("a"), Optional.of("tX-Y"))).containsExactly("aXbYc-dZe");
            assertThat(names(Optional.of("!!"), Optional.empty())).isEmpty();
        }

        private List<String> names(Optional<String> q, Optional<String> tag) {
            return store.inTransaction(rows -> rows.list(new WorkflowFilter(q, tag), PageRequest.first(10)))
                    .items().stream().map(Workflow::name).toList();
        }

        private void insert(Workflow w) {
            store.inTransaction(rows -> {
                rows.insert(w);
                return null;
            });
        }
    }

    private static Workflow workflow(String id, String name, List<String> tags) {
        return new Workflow(id, name, null, tags, 1, NOW, NOW, "test", "root");
    }

    private static WorkflowDefinition definition() {
        return WorkflowDefinition.stored("{}", "0".repeat(64), 2, 0);
    }
}
