package com.casarerpa.orchestrator.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.InvalidCronException;
import com.casarerpa.orchestrator.service.ForbiddenException;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import com.casarerpa.orchestrator.service.WebhookRejected;
import com.casarerpa.orchestrator.store.DatabaseAccessException;
import com.casarerpa.orchestrator.store.DatabaseUnavailableException;
import org.junit.jupiter.api.Test;

/** Status, code and {@code retryable} of the exceptions under the root, as both transports show them. */
class OrchestratorExceptionTest {

    @Test
    void only_an_unavailable_database_is_retryable() {
        OrchestratorException down = new DatabaseUnavailableException(DatabaseUnavailableException.Reason.UNREACHABLE,
                "connection to db.internal:5432 refused", null);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.code()).isEqualTo("unavailable");
        assertThat(down.retryable()).isTrue();
        assertThat(down.clientMessage()).doesNotContain("db.internal");

        for (OrchestratorException e : new OrchestratorException[] {new ForbiddenException("no"),
                new NotAuthenticated("no key"), new WebhookRejected("bad signature"), new InvalidCronException("hour", "bad")}) {
            assertThat(e.retryable()).as(e.code()).isFalse();
            assertThat(e.isClientError()).as(e.code()).isTrue();
        }
    }

    @Test
    void a_failed_statement_is_an_internal_error_that_keeps_its_sql_in_the_log() {
        OrchestratorException e = new DatabaseAccessException("insert into jobs failed: duplicate key", null);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.code()).isEqualTo("internal_error");
        assertThat(e.retryable()).isFalse();
        assertThat(e.isClientError()).isFalse();
        assertThat(e.clientMessage()).doesNotContain("jobs");
    }
}
