package com.casarerpa.orchestrator.ws;

import static org.awaitility.Awaitility.await;

import com.casarerpa.protocol.ws.Parts;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A robot as docs/websocket-api.md describes one, on a thread of its own, over real WebSocket
 * connections ({@link TestRobot}): registers (resuming the jobs it holds), heartbeats listing
 * them, runs each assigned job for 50–300 ms, reports it and keeps the report until it is
 * acked (sending it again a second after a retryable error), and when its connection breaks reconnects to the first instance that answers (its own
 * first, then the others) and sends unacked reports again. It records what it ran, when, and
 * every answer to its final reports, for the test to check.
 */
final class SimulatedRobot implements Runnable, AutoCloseable {
    /** One execution of a job on this robot: from job_assign until it finished or was lost. */
    record Execution(String robotId, String jobId, int attempt, long startNanos, long endNanos) {}

    /**
     * What the server said about a job_completed under {@code token}: {@code ack} (duplicate or
     * not), {@code error} (with its code), or {@code reported}: the lease ended because the report
     * was applied, its ack lost with the connection (a heartbeat ack's or registered's lost list).
     */
    record FinalAnswer(String robotId, String jobId, String token, String type, boolean duplicate, String code) {
        boolean applied() {
            return type.equals("reported") || (type.equals("ack") && !duplicate);
        }
    }

    private static final class Held {
        final String token;
        final int attempt;
        final long startNanos;
        final long dueNanos;
        boolean finished;
        /** A retryable error answered its final report: send it again from then on (System.nanoTime()), else 0. */
        long resendNanos;

        Held(String token, int attempt, long startNanos, long dueNanos) {
            this.token = token;
            this.attempt = attempt;
            this.startNanos = startNanos;
            this.dueNanos = dueNanos;
        }
    }

    final String robotId;
    private final String key;
    private final List<Integer> ports;
    private final Map<String, Held> held = new LinkedHashMap<>();
    /** A job_completed not answered yet: its job and lease. */
    private record Sent(String jobId, String token) {}

    private final Map<String, Sent> finalRequests = new HashMap<>();
    final List<Execution> executions = new CopyOnWriteArrayList<>();
    final List<FinalAnswer> answers = new CopyOnWriteArrayList<>();
    final List<JsonNode> registrations = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread;
    private volatile int connectedPort;
    private volatile int holding;

    SimulatedRobot(String robotId, String key, List<Integer> ports) {
        this.robotId = robotId;
        this.key = key;
        this.ports = List.copyOf(ports);
        this.thread = Thread.ofPlatform().name("sim-" + robotId).daemon().unstarted(this);
    }

    SimulatedRobot start() {
        thread.start();
        return this;
    }

    /** The port of the instance it is connected to now (0 while it is not). */
    int connectedPort() {
        return connectedPort;
    }

    /** How many jobs it holds now. */
    int holding() {
        return holding;
    }

    @Override
    public void run() {
        int next = 0;
        while (!stopped.get()) {
            int port = ports.get(next % ports.size());
            TestRobot robot;
            try {
                robot = TestRobot.connect(port, key);
            } catch (RuntimeException refused) {
                next++;
                await().pollDelay(Duration.ofMillis(100)).until(() -> true);
                continue;
            }
            try {
                session(robot, port);
            } catch (RuntimeException broken) {
                // the connection broke while sending: reconnect
            } finally {
                connectedPort = 0;
                robot.close();
            }
        }
    }

    private void session(TestRobot robot, int port) {
        List<Parts.HeldJob> jobs = held.entrySet().stream()
                .map(e -> new Parts.HeldJob(e.getKey(), e.getValue().token, e.getValue().finished ? "finished" : "running")).toList();
        JsonNode registered = robot.call(Protocol.tree(new RobotMessage.Register(null, Protocol.VERSION, null, robotId, null,
                "test-host", null, null, null, null, 2, null, null, jobs)));
        if (!"registered".equals(registered.path("type").asText())) {
            throw new IllegalStateException(robotId + ": " + registered);
        }
        registrations.add(registered);
        connectedPort = port;
        long now = System.nanoTime();
        for (JsonNode lost : registered.get("lost")) {
            end(lost, now);
        }
        finalRequests.clear();
        for (JsonNode resumed : registered.get("resumed")) {
            Held h = held.get(resumed.get("job_id").asText());
            if (h != null && h.finished) {
                sendCompleted(robot, resumed.get("job_id").asText(), h);
            }
        }
        long nextBeat = System.nanoTime();
        while (!stopped.get() && !robot.isClosed()) {
            robot.poll(Duration.ofMillis(20)).ifPresent(m -> handle(robot, m));
            now = System.nanoTime();
            for (Map.Entry<String, Held> e : new ArrayList<>(held.entrySet())) {
                Held h = e.getValue();
                if (!h.finished && now >= h.dueNanos) {
                    h.finished = true;
                    executions.add(new Execution(robotId, e.getKey(), h.attempt, h.startNanos, now));
                    sendCompleted(robot, e.getKey(), h);
                } else if (h.resendNanos != 0 && now >= h.resendNanos) {
                    h.resendNanos = 0;
                    sendCompleted(robot, e.getKey(), h);
                }
            }
            if (now >= nextBeat) {
                robot.send(new RobotMessage.Heartbeat(null, null, null, null,
                        held.entrySet().stream().map(e -> new Parts.JobLease(e.getKey(), e.getValue().token)).toList()));
                nextBeat = now + Duration.ofMillis(1000).toNanos();
            }
            holding = held.size();
        }
    }

    private void handle(TestRobot robot, JsonNode m) {
        switch (m.path("type").asText()) {
            case "job_assign" -> {
                long now = System.nanoTime();
                String job = m.get("job_id").asText();
                held.put(job, new Held(m.get("lease_token").asText(), m.get("attempt").asInt(), now,
                        now + Duration.ofMillis(ThreadLocalRandom.current().nextInt(50, 300)).toNanos()));
                holding = held.size();
                robot.send(new RobotMessage.JobStarted(null, job, m.get("lease_token").asText(), null));
            }
            case "ack" -> {
                Sent sent = finalRequests.remove(m.path("reply_to").asText());
                if (sent != null) {
                    held.remove(sent.jobId());
                    answers.add(new FinalAnswer(robotId, sent.jobId(), sent.token(), "ack", m.path("duplicate").asBoolean(), null));
                }
                for (JsonNode lost : m.path("lost")) {
                    end(lost, System.nanoTime());
                }
            }
            case "error" -> {
                Sent sent = finalRequests.remove(m.path("reply_to").asText());
                if (sent != null) {
                    if (!m.path("retryable").asBoolean()) {
                        held.remove(sent.jobId());
                    } else if (held.containsKey(sent.jobId())) {
                        held.get(sent.jobId()).resendNanos = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                    }
                    answers.add(new FinalAnswer(robotId, sent.jobId(), sent.token(), "error", false, m.path("code").asText()));
                }
            }
            default -> { }
        }
    }

    /** The server says the lease is gone: stop the job (if it still runs) and forget it. */
    private void end(JsonNode lost, long now) {
        String job = lost.get("job_id").asText();
        Held h = held.remove(job);
        if (h == null) {
            return;
        }
        if (!h.finished) {
            executions.add(new Execution(robotId, job, h.attempt, h.startNanos, now));
        } else if ("reported".equals(lost.path("reason").asText())) {
            answers.add(new FinalAnswer(robotId, job, h.token, "reported", false, null));
        }
    }

    private void sendCompleted(TestRobot robot, String job, Held h) {
        RobotMessage.JobCompleted completed = new RobotMessage.JobCompleted(null, job, h.token,
                new Parts.RunResult(null, 3L, 1L, null, null));
        finalRequests.put(robot.send(completed), new Sent(job, h.token));
    }

    @Override
    public void close() throws InterruptedException {
        stopped.set(true);
        thread.join(Duration.ofSeconds(10));
    }
}
