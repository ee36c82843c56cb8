package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A client that announces a body and goes away before sending it all is not a server error: no
 * 500, no stack trace, nothing at WARN or ERROR; one DEBUG line says what happened. On the
 * webhook route (no key needed) and on an authenticated JSON route.
 */
class AbortedRequestTest {
    @TempDir
    Path workDir;

    @Test
    void a_body_cut_short_by_the_client_is_one_debug_line_not_a_logged_server_error() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            String key = server.orchestrator().bootstrapKey().orElseThrow();
            for (String head : List.of("POST /webhooks/x HTTP/1.1\r\n",
                    "POST /api/v1/workflows HTTP/1.1\r\nX-API-Key: " + key + "\r\n")) {
                events.list.clear();
                String path = head.split(" ")[1];

                sendFiveOfThousandBytesAndClose(server.orchestrator().port(), head);

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.copyOf(events.list))
                        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("POST " + path + " -> ")));
                List<ILoggingEvent> seen = List.copyOf(events.list);
                assertThat(seen).as("nothing at WARN or above for " + path)
                        .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
                assertThat(seen).filteredOn(e -> e.getLoggerName().equals(ErrorMapper.class.getName())).singleElement()
                        .satisfies(e -> {
                            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
                            assertThat(e.getFormattedMessage()).contains("POST " + path).contains("did not send the whole body");
                            assertThat(e.getThrowableProxy()).isNull();
                        });
                assertThat(seen).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("POST " + path + " -> 400"));
            }
        } finally {
            root.detachAppender(events);
        }
    }

    /** Announces 1000 bytes of body, sends 5 and closes the connection, as a client that gave up would. */
    private static void sendFiveOfThousandBytesAndClose(int port, String requestLineAndHeaders) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLineAndHeaders + "Host: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}
