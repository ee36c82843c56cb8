package com.casarerpa.orchestrator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The real CasareRPA workflow files of /work/shared/samples, copied verbatim into test resources. */
public final class Samples {
    public static final String BATCH = "batch_2_2_xml.json";
    public static final String SNIPPET = "snippet-two-set-variables.json";

    private Samples() {}

    public static String text(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/workflows/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small valid workflow: start, one SetVariableNode per value, end, chained by exec ports. */
    public static String chain(String name, String... values) {
        StringBuilder nodes = new StringBuilder("\"start\":{\"node_id\":\"start\",\"node_type\":\"StartNode\",\"config\":{}}");
        StringBuilder connections = new StringBuilder();
        String previous = "start";
        for (int i = 0; i < values.length; i++) {
            String id = "set" + i;
            nodes.append(",\"").append(id).append("\":{\"node_id\":\"").append(id)
                    .append("\",\"node_type\":\"SetVariableNode\",\"config\":{\"variable_name\":\"v\",\"value\":\"")
                    .append(values[i]).append("\"}}");
            connections.append(connection(previous, id)).append(',');
            previous = id;
        }
        nodes.append(",\"end\":{\"node_id\":\"end\",\"node_type\":\"EndNode\",\"config\":{}}");
        connections.append(connection(previous, "end"));
        return "{\"metadata\":{\"name\":\"" + name + "\",\"version\":\"1.0.0\"},\"nodes\":{" + nodes
                + "},\"connections\":[" + connections + "],\"variables\":{},\"settings\":{\"stop_on_error\":true,\"timeout\":60}}";
    }

    private static String connection(String from, String to) {
        return "{\"source_node\":\"" + from + "\",\"source_port\":\"exec_out\",\"target_node\":\"" + to
                + "\",\"target_port\":\"exec_in\"}";
    }
}
