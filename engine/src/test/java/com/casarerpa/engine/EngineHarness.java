package com.casarerpa.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An engine over a temporary work dir, and a listener that records what it hears. */
final class EngineHarness {
    final Path workDir;
    final WorkflowEngine engine;
    final Recorder events = new Recorder();

    EngineHarness(Path workDir) {
        this(EngineSettings.confinedTo(workDir).withPrivateNetworks(true).withNodeTimeout(Duration.ofSeconds(30)));
    }

    EngineHarness(EngineSettings settings) {
        this(settings, HostResolver.SYSTEM);
    }

    EngineHarness(EngineSettings settings, HostResolver resolver) {
        this.workDir = settings.workDir();
        this.engine = Engines.standard(settings, resolver);
    }

    ExecutionResult run(WorkflowBuilder flow) {
        return run(flow.json(), Map.of(), null, new Cancellation());
    }

    ExecutionResult run(JsonNode workflow, Map<String, Object> variables, Duration timeout, Cancellation cancellation) {
        return engine.run(new ExecutionRequest("run-1", workflow, variables, timeout), events, cancellation);
    }

    record LogLine(LogLevel level, String message, String nodeId, String nodeType) {}

    static final class Recorder implements ExecutionListener {
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<LogLine> logs = new CopyOnWriteArrayList<>();

        @Override
        public void nodeStarted(String nodeId, String nodeType, int executedNodes) {
            started.add(nodeId);
        }

        @Override
        public void log(LogLevel level, String message, String nodeId, String nodeType) {
            logs.add(new LogLine(level, message, nodeId, nodeType));
        }

        List<String> messages(LogLevel level) {
            return logs.stream().filter(l -> l.level() == level).map(LogLine::message).toList();
        }
    }
}
