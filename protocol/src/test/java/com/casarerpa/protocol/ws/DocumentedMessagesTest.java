package com.casarerpa.protocol.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every JSON example of docs/websocket-api.md (the {@code json} blocks and the lines of the example
 * sessions) reads into its record and writes back to the same JSON: the same fields, names and
 * values. Every message type has an example.
 */
class DocumentedMessagesTest {
    private static final Path DOC = Path.of("..", "docs", "websocket-api.md");
    private static final Pattern BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SESSION_LINE = Pattern.compile("^([→←]) (\\{.*\\})$", Pattern.MULTILINE);
    /** Numbers compare by value: {@code 41.0} read into a double writes back as {@code 41.0}, {@code 50} as {@code 50.0}. */
    private static final Comparator<JsonNode> SAME = (a, b) -> a.equals(b) ? 0
            : a instanceof NumericNode && b instanceof NumericNode && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

    record Example(String direction, String json) {}

    @Test
    void everyExampleReadsIntoItsRecordAndWritesBackTheSame() throws IOException {
        Set<String> seen = new TreeSet<>();
        for (Example e : examples()) {
            JsonNode expected = Protocol.mapper().readTree(e.json());
            String type = expected.path("type").asText();
            if (deliberatelyMalformed(expected)) {
                continue;
            }
            boolean fromServer = e.direction().equals("←") || (e.direction().isEmpty() && types(ServerMessage.class).contains(type));
            Object message = fromServer ? Protocol.server(e.json()) : Protocol.robot(e.json());
            if (type.equals("hearbeat")) { // the doc's example of an unknown type
                assertThat(message).isNull();
                continue;
            }
            assertThat(message).as(e.json()).isNotNull();
            JsonNode written = Protocol.mapper().readTree(Protocol.text(message));
            assertThat(written.equals(SAME, expected)).as("%s%nwritten back as%n%s", expected, written).isTrue();
            seen.add(type);
        }
        Set<String> all = new TreeSet<>(types(RobotMessage.class));
        all.addAll(types(ServerMessage.class));
        assertThat(seen).isEqualTo(all);
    }

    @Test
    void aFieldOfTheWrongTypeDoesNotRead() {
        assertThatThrownBy(() -> Protocol.robot("{\"type\":\"heartbeat\",\"id\":\"r-10\",\"cpu_percent\":\"high\",\"jobs\":[]}"))
                .isInstanceOf(UncheckedIOException.class);
    }

    /** {@code "cpu_percent": "high"}: the doc shows it to show the error it gets. */
    private static boolean deliberatelyMalformed(JsonNode m) {
        return m.path("cpu_percent").isTextual();
    }

    private static List<Example> examples() throws IOException {
        String doc = Files.readString(DOC);
        List<Example> out = new ArrayList<>();
        Matcher b = BLOCK.matcher(doc);
        while (b.find()) {
            out.add(new Example("", b.group(1)));
        }
        Matcher l = SESSION_LINE.matcher(doc);
        while (l.find()) {
            out.add(new Example(l.group(1), l.group(2)));
        }
        assertThat(out).hasSizeGreaterThan(30);
        return out;
    }

    private static Set<String> types(Class<?> sealed) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(sealed.getPermittedSubclasses()).forEach(c -> collect(c, names));
        return names;
    }

    private static void collect(Class<?> c, Set<String> names) {
        if (c.getPermittedSubclasses() != null) {
            Arrays.stream(c.getPermittedSubclasses()).forEach(s -> collect(s, names));
        } else {
            names.add(c.getAnnotation(JsonTypeName.class).value());
        }
    }
}
