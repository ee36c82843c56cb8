package com.casarerpa.robot.testing;

import java.util.ArrayList;
import java.util.List;

/** Small CasareRPA workflows for the robot tests: a start node, the given nodes in a row, an end node. */
public final class Flows {
    private Flows() {}

    public record Node(String type, String config) {}

    public static Node log(String message) {
        return new Node("LogNode", "{\"message\":\"" + message + "\",\"level\":\"info\"}");
    }

    public static Node waitSeconds(double seconds) {
        return new Node("WaitNode", "{\"duration\":" + seconds + "}");
    }

    public static Node set(String name, String value) {
        return new Node("SetVariableNode", "{\"variable_name\":\"" + name + "\",\"value\":\"" + value + "\"}");
    }

    public static String chain(String name, Node... nodes) {
        List<String> ids = new ArrayList<>();
        StringBuilder json = new StringBuilder("{\"metadata\":{\"name\":\"" + name + "\",\"version\":\"1.0.0\"},\"nodes\":{");
        json.append("\"start\":{\"node_id\":\"start\",\"node_type\":\"StartNode\",\"config\":{}}");
        ids.add("start");
        for (int i = 0; i < nodes.length; i++) {
            String id = "n" + (i + 1);
            json.append(",\"").append(id).append("\":{\"node_id\":\"").append(id).append("\",\"node_type\":\"")
                    .append(nodes[i].type()).append("\",\"config\":").append(nodes[i].config()).append('}');
            ids.add(id);
        }
        json.append(",\"end\":{\"node_id\":\"end\",\"node_type\":\"EndNode\",\"config\":{}}},\"connections\":[");
        ids.add("end");
        for (int i = 0; i + 1 < ids.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"source_node\":\"").append(ids.get(i))
                    .append("\",\"source_port\":\"exec_out\",\"target_node\":\"").append(ids.get(i + 1))
                    .append("\",\"target_port\":\"exec_in\"}");
        }
        return json.append("],\"variables\":{},\"settings\":{\"stop_on_error\":true,\"timeout\":600}}").toString();
    }
}
