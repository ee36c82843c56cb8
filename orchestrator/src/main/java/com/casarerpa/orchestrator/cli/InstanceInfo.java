package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code status} and {@code stop} know of a running instance: written by the instance beside
 * its pid file ({@code <pid file>.json}) once it is up, so they need not guess its port or
 * database from a configuration that may have changed since.
 *
 * @param pid          the process
 * @param processStart when the operating system started it: a later process given the same pid differs
 * @param address      the base URL it serves, as a local client reaches it
 * @param version      the orchestrator's version
 * @param database     the database, password masked
 * @param logFile      where its output goes ({@code start --daemon}); empty in the foreground (the terminal, journald)
 * @param startedAt    when it answered first
 */
record InstanceInfo(long pid, Optional<Instant> processStart, String address, String version, String database,
        Optional<Path> logFile, Instant startedAt) {

    /** How far two readings of one process's start time may differ (the kernel counts in clock ticks). */
    private static final Duration SAME_START = Duration.ofSeconds(1);

    /** This process. */
    static InstanceInfo ofThisProcess(String address, String version, String database, Optional<Path> logFile) {
        ProcessHandle self = ProcessHandle.current();
        return new InstanceInfo(self.pid(), self.info().startInstant(), address, version, database, logFile, Instant.now());
    }

    /** True when {@code process} is the one this describes: the same pid and, when both are known, the same start. */
    boolean describes(ProcessHandle process) {
        if (process.pid() != pid) {
            return false;
        }
        Optional<Instant> started = process.info().startInstant();
        return processStart.isEmpty() || started.isEmpty()
                || Duration.between(processStart.get(), started.get()).abs().compareTo(SAME_START) <= 0;
    }

    String toJson() {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("pid", pid);
        processStart.ifPresent(t -> o.put("process_start", t.toString()));
        o.put("address", address);
        o.put("version", version);
        o.put("database", database);
        logFile.ifPresent(f -> o.put("log_file", f.toString()));
        o.put("started_at", startedAt.toString());
        return o.toPrettyString() + "\n";
    }

    /** Empty when {@code json} is not such a file (half written, or another program's). */
    static Optional<InstanceInfo> parse(String json) {
        try {
            JsonNode o = Json.mapper().readTree(json);
            if (o == null || !o.hasNonNull("pid") || !o.hasNonNull("address")) {
                return Optional.empty();
            }
            return Optional.of(new InstanceInfo(o.get("pid").asLong(), text(o, "process_start").map(Instant::parse),
                    o.get("address").asText(), text(o, "version").orElse("unknown"), text(o, "database").orElse("unknown"),
                    text(o, "log_file").map(Path::of), text(o, "started_at").map(Instant::parse).orElse(Instant.EPOCH)));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode o, String field) {
        return o.hasNonNull(field) ? Optional.of(o.get(field).asText()) : Optional.empty();
    }
}
