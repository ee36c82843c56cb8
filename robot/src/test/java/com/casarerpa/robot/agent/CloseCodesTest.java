package com.casarerpa.robot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloseCodesTest {
    private static final Path ID_FILE = Path.of("/var/lib/robot/robot-id");

    @ParameterizedTest
    @ValueSource(ints = {4001, 4003, 4004, 4009, 4010, 4022})
    void the_orchestrators_refusals_stop_the_robot_and_say_the_code_and_reason(int code) {
        assertThat(CloseCodes.fatal(code, "said so", "r1", ID_FILE))
                .hasValueSatisfying(m -> assertThat(m).contains("(" + code + ")").contains("(said so)"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1006, 1008, 1011, 1013, 4008})
    void every_other_code_is_a_lost_connection_to_reconnect_after(int code) {
        assertThat(CloseCodes.fatal(code, "whatever", "r1", ID_FILE)).isEmpty();
    }

    @Test
    void a_key_that_may_not_act_for_the_robot_names_the_identity_file_to_remove() {
        assertThat(CloseCodes.fatal(4003, "", "r1", ID_FILE)).hasValue(
                "the API key may not act for robot r1 (4003); use the key that registered it, or remove " + ID_FILE);
    }
}
