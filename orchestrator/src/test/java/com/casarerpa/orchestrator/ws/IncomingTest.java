package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.protocol.ws.RobotMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A robot's message decoded into its record: a value of the wrong JSON type is refused naming its
 * path, in the words of the check it did not reach (docs/websocket-api.md, "Conventions", and its
 * example session's {@code cpu_percent: expected a number from 0 to 100, got "high"}).
 */
class IncomingTest {

    record Refused(String json, String field, String message) {}

    static List<Refused> wrongTypes() {
        return List.of(
                new Refused("{'type':'heartbeat','cpu_percent':'high','jobs':[]}", "cpu_percent",
                        "expected a number from 0 to 100, got \"high\""),
                new Refused("{'type':'heartbeat','memory_mb':1.5,'jobs':[]}", "memory_mb",
                        "expected an integer from 0 to 9223372036854775807, got 1.5"),
                new Refused("{'type':'heartbeat','jobs':{}}", "jobs", "expected an array"),
                new Refused("{'type':'heartbeat','jobs':[{'job_id':'j','lease_token':'t'},5]}", "jobs[1]", "expected an object"),
                new Refused("{'type':'heartbeat','jobs':[{'job_id':true,'lease_token':'t'}]}", "jobs[0].job_id",
                        "expected a string, got true"),
                new Refused("{'type':'register','protocol_version':3000000000}", "protocol_version",
                        "expected an integer from 1 to 2147483647, got 3000000000"),
                new Refused("{'type':'register','protocol_version':'1'}", "protocol_version",
                        "expected an integer from 1 to 2147483647, got \"1\""),
                new Refused("{'type':'register','capabilities':['a',5]}", "capabilities[1]", "expected a string of 1 to 100 characters"),
                new Refused("{'type':'register','node_types':[[]]}", "node_types[0]", "expected a string of 1 to 200 characters"),
                new Refused("{'type':'log_batch','entries':[{},{},{},{'message':7}]}", "entries[3].message", "expected a string, got 7"),
                new Refused("{'type':'log_batch','entries':[{'seq':'1'}]}", "entries[0].seq",
                        "expected an integer from 1 to 9223372036854775807, got \"1\""),
                new Refused("{'type':'job_failed','error':5}", "error", "expected an object, got number"),
                new Refused("{'type':'job_failed','error':{},'retryable':1}", "retryable", "expected true or false, got 1"),
                new Refused("{'type':'job_completed','result':[]}", "result", "expected an object, got array"),
                new Refused("{'type':'job_progress','executed_nodes':1.0}", "executed_nodes",
                        "expected an integer from 0 to 2147483647, got 1.0"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void a_value_of_the_wrong_type_is_refused_naming_its_path(Refused r) {
        Incoming in = Incoming.parse(r.json().replace('\'', '"'));
        assertThatThrownBy(() -> in.decode(RobotMessage.class))
                .isInstanceOfSatisfying(ProtocolError.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_request");
                    assertThat(e.field()).isEqualTo(r.field());
                    assertThat(e.getMessage()).isEqualTo(r.field() + ": " + r.message());
                });
    }

    @Test
    void null_is_absent_unknown_fields_are_ignored_and_a_result_is_kept_as_sent() {
        Incoming in = Incoming.parse("{\"type\":\"job_completed\",\"job_id\":\"j\",\"lease_token\":null,\"colour\":\"red\","
                + "\"result\":{\"executed_nodes\":1,\"duration_ms\":2,\"robot_notes\":[1,2]}}");
        RobotMessage.JobCompleted m = in.decode(RobotMessage.JobCompleted.class);
        assertThat(m.jobId()).isEqualTo("j");
        assertThat(m.leaseToken()).isNull();
        assertThat(m.result().executedNodes()).isEqualTo(1);
        assertThat(in.result()).isEqualTo("{\"executed_nodes\":1,\"duration_ms\":2,\"robot_notes\":[1,2]}");
    }

    @Test
    void the_envelope_is_read_leniently_and_the_id_checked_first() {
        Incoming in = Incoming.parse("{\"type\":\"heartbeat\",\"id\":5,\"job_id\":\"j\"}");
        assertThat(in.id).isNull();
        assertThat(in.type).isEqualTo("heartbeat");
        assertThat(in.jobId).isEqualTo("j");
        assertThatThrownBy(in::checkId).hasMessage("id: expected a string, got 5");
        assertThatThrownBy(() -> Incoming.parse("{\"id\":\"" + "x".repeat(65) + "\"}").checkId())
                .hasMessage("id: expected 1 to 64 characters, got 65");
        assertThatThrownBy(() -> Incoming.parse("[1]")).hasMessage("$: expected one JSON object per message");
        assertThatThrownBy(() -> Incoming.parse("{not json")).hasMessageStartingWith("$: not JSON: ");
    }

    @Test
    void the_checks_of_the_values_name_the_item_at_fault() {
        assertThatThrownBy(() -> Check.objects("jobs", Arrays.asList(new Object(), null), 256))
                .hasMessage("jobs[1]: expected an object");
        assertThatThrownBy(() -> Check.strings("tags", Arrays.asList("a", null), 50))
                .hasMessage("tags[1]: expected a string of 1 to 100 characters");
        assertThatThrownBy(() -> Check.strings("tags", List.of("a\u0000b"), 50)).hasMessageStartingWith("tags[0]: contains a NUL");
        assertThatThrownBy(() -> Check.number("cpu_percent", -1.0)).hasMessage("cpu_percent: expected a number from 0 to 100, got -1");
        assertThatThrownBy(() -> Check.number("percent", 100.5)).hasMessage("percent: expected a number from 0 to 100, got 100.5");
        assertThatThrownBy(() -> Check.requiredInteger(Check.item("entries", 2, "seq"), 0L))
                .hasMessage("entries[2].seq: expected an integer from 1 to 9223372036854775807, got 0");
        assertThatThrownBy(() -> Check.requiredText("hostname", null, 255)).hasMessage("hostname: is required");
        assertThatThrownBy(() -> Check.time("entries[0].timestamp", "yesterday")).hasMessageContaining("expected an ISO-8601 UTC time");
    }
}
