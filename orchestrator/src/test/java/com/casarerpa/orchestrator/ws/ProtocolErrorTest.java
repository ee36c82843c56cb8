package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.domain.WorkflowProblem;
import com.casarerpa.orchestrator.service.ConflictException;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.service.NotFoundException;
import com.casarerpa.orchestrator.store.StaleLeaseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exceptions of the services, store and domain read as the protocol's errors, as the REST API reads them. */
class ProtocolErrorTest {

    @Test
    void a_bad_field_names_the_field_as_the_errors_field_not_in_its_details() {
        ProtocolError e = ProtocolError.from(new InvalidInputException("entries[3].level", "expected one of info, warn"));
        assertThat(e.code()).isEqualTo("invalid_request");
        assertThat(e.field()).isEqualTo("entries[3].level");
        assertThat(e.getMessage()).isEqualTo("entries[3].level: expected one of info, warn");
        assertThat(e.retryable()).isFalse();
        assertThat(e.details()).isEmpty();
    }

    @Test
    void code_message_and_details_are_the_exceptions() {
        ProtocolError notFound = ProtocolError.from(new NotFoundException("job job_1 does not exist"));
        assertThat(notFound.code()).isEqualTo("not_found");
        assertThat(notFound.field()).isNull();
        assertThat(notFound.retryable()).isFalse();

        ProtocolError conflict = ProtocolError.from(new ConflictException("idempotency_conflict", "used before",
                Map.of("field", "idempotency_key")));
        assertThat(conflict.code()).isEqualTo("idempotency_conflict");
        assertThat(conflict.field()).isEqualTo("idempotency_key");

        ProtocolError stale = ProtocolError.from(new StaleLeaseException("job_1", "lease is not live"));
        assertThat(stale.code()).isEqualTo("stale_lease");
        assertThat(stale.details()).containsEntry("job_id", "job_1");

        ProtocolError workflow = ProtocolError.from(new InvalidWorkflowException(List.of(
                new WorkflowProblem("nodes.a.node_type", "is required"), new WorkflowProblem("", "has no start node"))));
        assertThat(workflow.field()).isEqualTo("nodes.a.node_type");
        assertThat(workflow.getMessage()).isEqualTo("nodes.a.node_type: is required (and 1 more problem in details.problems)");
        assertThat(workflow.details()).containsKey("problems");
    }
}
