package com.casarerpa.orchestrator.api;

import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Hostile robot-channel frames drawn from a seeded generator. Most go on connections registered
 * as {@link #ROBOT} (a robot in maintenance, so it never holds a job): reports of every type
 * naming jobs of the load or no job, with made-up lease tokens, and each with fields set to
 * hostile values (wrong types, NUL, unpaired surrogates, huge numbers, deep nesting, 900 KB of
 * text), fields left out, a wrong {@code type} or {@code id}, or no JSON at all. Some go on
 * connections that never register. A connection carries {@value #PER_CONNECTION} of them, below
 * the 100 errors a minute that close one, then a heartbeat: every frame with an id must have had
 * its one answer by then, none {@code internal_error}, and the connection must still be open. A
 * few connections send a frame over 1 MiB, which the protocol closes with 1009.
 *
 * <p>{@code register} and {@code goodbye} are left out: a refused register closes its connection
 * by design, and a goodbye ends the robot's work.
 */
final class FrameFuzz {
    static final String ROBOT = "fuzz-ws";
    private static final int PER_CONNECTION = 60;
    private static final int MAX_FINDINGS = 40;
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);
    /** A connection that has not registered is closed after this (1008): one that takes longer is not a finding. */
    private static final Duration REGISTER_DEADLINE = Duration.ofSeconds(10);
    private static final List<String> TYPES = List.of("heartbeat", "job_started", "job_progress", "log_batch", "job_completed",
            "job_failed", "job_cancelled", "job_release", "lease_extend");

    private final Random random;
    private final int port;
    private final String key;
    private final Supplier<List<String>> jobIds;
    private final List<String> findings = new ArrayList<>();
    private final Map<String, Integer> answers = new TreeMap<>();
    private int found;
    private int sent;
    private int connections;

    FrameFuzz(Random random, int port, String key, Supplier<List<String>> jobIds) {
        this.random = random;
        this.port = port;
        this.key = key;
        this.jobIds = jobIds;
    }

    int sent() {
        return sent;
    }

    String summary() {
        return sent + " frames on " + connections + " connections, answers " + answers;
    }

    List<String> run(int count) {
        while (sent < count) {
            connections++;
            int kind = random.nextInt(100);
            if (kind < 2) {
                oversized();
            } else {
                connection(kind >= 12, Math.min(PER_CONNECTION, count - sent));
            }
        }
        List<String> out = new ArrayList<>(findings);
        if (found > findings.size()) {
            out.add((found - findings.size()) + " more");
        }
        return out;
    }

    private void connection(boolean registered, int frames) {
        long opened = System.nanoTime();
        try (TestRobot robot = TestRobot.connect(port, key)) {
            List<JsonNode> received = new ArrayList<>();
            if (registered && !register(robot, received)) {
                return;
            }
            Set<String> ids = new HashSet<>();
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                if (registered && i % 15 == 14) {
                    // A robot that only sends bad frames is silent to the protocol (4008 after 30 s): keep it alive.
                    robot.sendAsync("{\"type\":\"heartbeat\",\"jobs\":[]}");
                }
                Frame f = frame(registered);
                sent++;
                labels.add(f.label());
                f.id().ifPresent(ids::add);
                robot.sendAsync(f.text());
            }
            String last = "final-" + connections;
            robot.sendAsync("{\"type\":\"heartbeat\",\"id\":\"" + last + "\",\"jobs\":[]}");
            boolean lastAnswered = awaitReply(robot, last, received);
            Set<String> answered = new HashSet<>();
            for (JsonNode m : received) {
                answers.merge(m.path("type").asText() + (m.has("code") ? " " + m.path("code").asText() : ""), 1, Integer::sum);
                answered.add(m.path("reply_to").asText(""));
                if ("internal_error".equals(m.path("code").asText())) {
                    finding("internal_error: " + m);
                }
            }
            boolean lateForRegister = !registered && System.nanoTime() - opened > REGISTER_DEADLINE.toNanos();
            if (robot.isClosed() && !(lateForRegister && robot.closeCode() == 1008)) {
                finding("connection closed (" + robot.closeCode() + ") after " + labels);
                return;
            }
            if (!lastAnswered && !lateForRegister) {
                finding("no answer to the heartbeat after " + labels);
                return;
            }
            ids.removeAll(answered);
            if (!ids.isEmpty() && !lateForRegister) {
                finding("frames without an answer: " + ids + " among " + labels);
            }
        } catch (RuntimeException e) {
            finding("connection failed: " + e);
        }
    }

    /** Registers as {@link #ROBOT}; false (and a finding) when the answer is not {@code registered}. */
    private boolean register(TestRobot robot, List<JsonNode> received) {
        robot.sendAsync("{\"type\":\"register\",\"id\":\"reg\",\"protocol_version\":1,\"robot_id\":\"" + ROBOT
                + "\",\"hostname\":\"fuzz\",\"max_concurrent_jobs\":1}");
        List<JsonNode> got = new ArrayList<>();
        if (!awaitReply(robot, "reg", got) || !"registered".equals(got.getLast().path("type").asText())) {
            finding("register answered " + got);
            return false;
        }
        got.removeLast();
        received.addAll(got);
        return true;
    }

    /**
     * Takes what arrives into {@code received} until the answer to {@code id} (last in it), for
     * up to {@link #ANSWER_WITHIN}; then what else came. False when that answer did not come.
     */
    private static boolean awaitReply(TestRobot robot, String id, List<JsonNode> received) {
        long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
        while (System.nanoTime() < deadline && !robot.isClosed()) {
            Optional<JsonNode> m = robot.poll(Duration.ofSeconds(1));
            m.ifPresent(received::add);
            if (m.isPresent() && id.equals(m.get().path("reply_to").asText(null))) {
                return true;
            }
        }
        for (Optional<JsonNode> m = robot.poll(Duration.ZERO); m.isPresent(); m = robot.poll(Duration.ZERO)) {
            received.add(m.get());
        }
        return false;
    }

    private void oversized() {
        try (TestRobot robot = TestRobot.connect(port, key)) {
            if (!register(robot, new ArrayList<>())) {
                return;
            }
            sent++;
            robot.sendAsync("{\"type\":\"heartbeat\",\"id\":\"big\",\"jobs\":[],\"pad\":\"" + "b".repeat(1024 * 1024 + 100) + "\"}");
            int code = robot.closeCode(ANSWER_WITHIN);
            answers.merge("close " + code, 1, Integer::sum);
            if (code != 1009) {
                finding("a frame over 1 MiB closed its connection with " + code + ", not 1009");
            }
        } catch (RuntimeException e) {
            finding("oversized connection failed: " + e);
        }
    }

    /** A frame's text, the id it carries when one is due an answer, and what it is for a finding. */
    private record Frame(String text, Optional<String> id, String label) {}

    private Frame frame(boolean registered) {
        int kind = random.nextInt(100);
        if (kind < 8) {
            String garbage = pick(new String[] {"{", "[]", "\"text\"", "null", "", " ", "{\"type\":", "}{", "{\"type\":\"heartbeat\"}}",
                    "\u0000", "{\"id\":\"x\",\"type\":\"heartbeat\",\"id\":\"y\"}", "[".repeat(3000)});
            return new Frame(garbage, Optional.empty(), "garbage");
        }
        String type = TYPES.get(random.nextInt(TYPES.size()));
        String id = "f-" + connections + "-" + sent;
        ObjectNode m = base(type, id);
        List<String> changes = new ArrayList<>();
        boolean tracked = true;
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(10)) {
                case 0 -> {
                    String field = pick(fieldsOf(m));
                    m.remove(field);
                    changes.add("-" + field);
                    tracked &= !field.equals("id");
                }
                case 1 -> {
                    m.set("type", hostileValue());
                    changes.add("type");
                }
                case 2 -> {
                    m.set("id", random.nextBoolean() ? hostileValue() : Protocol.mapper().getNodeFactory().textNode("i".repeat(65)));
                    changes.add("id");
                    tracked = false;
                }
                default -> {
                    String field = random.nextInt(4) == 0 ? "zz_" + random.nextInt(100) : pick(fieldsOf(m));
                    if (field.equals("id") || field.equals("type")) {
                        field = "job_id";
                    }
                    m.set(field, hostileValue());
                    changes.add(field);
                }
            }
        }
        // Jackson writes a lone surrogate as it is, which no UTF-8 text frame can carry: send its JSON escape.
        String text = m.toString().replace("\uD800", "\\uD800");
        if (random.nextInt(100) == 0) {
            // Up to 900 KB of text, the frame staying under the protocol's 1 MiB (a frame over it is closed with 1009, tested apart).
            int room = 1024 * 1024 - 1024 - text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            text = text.substring(0, text.length() - 1) + ",\"zz_text\":\"" + "t".repeat(Math.max(0, Math.min(900 * 1024, room))) + "\"}";
            changes.add("900 KB");
        }
        String label = (registered ? "" : "unregistered ") + type + changes;
        return new Frame(text, tracked && m.path("id").isTextual() ? Optional.of(m.path("id").asText()) : Optional.empty(), label);
    }

    private ObjectNode base(String type, String id) {
        ObjectNode m = Protocol.mapper().createObjectNode().put("type", type).put("id", id);
        String job = jobId();
        String token = UUID.randomUUID().toString();
        switch (type) {
            case "heartbeat" -> {
                m.put("cpu_percent", 12.5).put("memory_percent", 40);
                ArrayNode jobs = m.putArray("jobs");
                if (random.nextBoolean()) {
                    jobs.addObject().put("job_id", job).put("lease_token", token);
                }
            }
            case "job_progress" -> m.put("job_id", job).put("lease_token", token).put("percent", 50);
            case "log_batch" -> {
                m.put("job_id", job).put("lease_token", token);
                m.putArray("entries").addObject().put("seq", 1).put("timestamp", "2026-12-07T00:00:00Z").put("level", "info")
                        .put("message", "m");
            }
            case "job_completed" -> {
                m.put("job_id", job).put("lease_token", token);
                m.putObject("result").put("executed_nodes", 1).put("duration_ms", 1);
            }
            case "job_failed" -> {
                m.put("job_id", job).put("lease_token", token).put("retryable", true);
                m.putObject("error").put("type", "E").put("message", "m");
            }
            case "job_cancelled" -> m.put("job_id", job).put("lease_token", token).put("reason", "cancelled");
            case "job_release" -> m.put("job_id", job).put("lease_token", token).put("reason", "other");
            case "lease_extend" -> m.put("job_id", job).put("lease_token", token).put("extension_seconds", 60);
            default -> m.put("job_id", job).put("lease_token", token).put("started_at", "2026-12-07T00:00:00Z");
        }
        return m;
    }

    /** A job of the load (with a token it never had) half the time, else one that does not exist. */
    private String jobId() {
        List<String> ids = jobIds.get();
        if (!ids.isEmpty() && random.nextBoolean()) {
            return ids.get(random.nextInt(ids.size()));
        }
        return "job_" + Long.toHexString(random.nextLong());
    }

    private JsonNode hostileValue() {
        var f = Protocol.mapper().getNodeFactory();
        return switch (random.nextInt(16)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(true);
            case 2 -> f.numberNode(-1);
            case 3 -> f.numberNode(Long.MAX_VALUE);
            case 4 -> f.numberNode(new java.math.BigDecimal("1e400"));
            case 5 -> f.numberNode(new java.math.BigInteger("9".repeat(80)));
            case 6 -> f.numberNode(Double.MAX_VALUE);
            case 7 -> f.textNode("");
            case 8 -> f.textNode("a\u0000b");
            case 9 -> f.textNode("a\uD800b");
            case 10 -> f.textNode("x".repeat(70_000));
            case 11 -> f.textNode("' OR '1'='1");
            case 12 -> {
                ArrayNode a = f.arrayNode();
                for (int i = 0; i < 5000; i++) {
                    a.add(i);
                }
                yield a;
            }
            case 13 -> {
                // 900 deep: as deep as Jackson writes; the garbage frames go past its 1,000 as text.
                JsonNode deep = f.arrayNode();
                for (int i = 0; i < 900; i++) {
                    deep = f.arrayNode().add(deep);
                }
                yield deep;
            }
            case 14 -> f.objectNode().put("$gt", "").set("nested", f.objectNode().put("job_id", "x"));
            default -> f.textNode("2026-13-45T99:99:99Z");
        };
    }

    private static String[] fieldsOf(ObjectNode m) {
        List<String> names = new ArrayList<>();
        m.fieldNames().forEachRemaining(names::add);
        return names.toArray(String[]::new);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private void finding(String what) {
        found++;
        if (findings.size() < MAX_FINDINGS) {
            findings.add("#" + sent + " " + what);
        }
    }
}
