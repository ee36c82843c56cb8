package com.casarerpa.robot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.engine.LogLevel;
import com.casarerpa.protocol.ws.Parts.LogEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBufferTest {
    private static LogBuffer.Entry entry(LogLevel level, String message) {
        return new LogBuffer.Entry(Instant.parse("2026-11-27T09:00:00.020Z"), level, message, "n1", "LogNode");
    }

    @Test
    void batches_hold_at_most_100_entries_numbered_without_gaps() {
        LogBuffer buffer = new LogBuffer();
        for (int i = 0; i < 250; i++) {
            buffer.add(entry(LogLevel.INFO, "line " + i), 0);
        }
        assertThat(buffer.due(0, Long.MAX_VALUE)).isTrue();
        List<LogEntry> first = new ArrayList<>();
        assertThat(buffer.takeBatch(first, 1, 0)).isEqualTo(100);
        List<LogEntry> second = new ArrayList<>();
        assertThat(buffer.takeBatch(second, 101, 0)).isEqualTo(100);
        assertThat(second.get(0).seq()).isEqualTo(101);
        assertThat(second.get(0).message()).isEqualTo("line 100");
        LogEntry e = first.get(0);
        assertThat(e.timestamp()).isEqualTo("2026-11-27T09:00:00.020Z");
        assertThat(e.level()).isEqualTo("info");
        assertThat(e.nodeType()).isEqualTo("LogNode");
        assertThat(buffer.size()).isEqualTo(50);
        assertThat(buffer.due(0, Long.MAX_VALUE)).isFalse();
        assertThat(buffer.due(2_000_000_000L, 1_000_000_000L)).isTrue();
    }

    @Test
    void when_full_it_drops_the_oldest_debug_and_info_entries_first() {
        LogBuffer buffer = new LogBuffer();
        buffer.add(entry(LogLevel.ERROR, "the error"), 0);
        for (int i = 0; i < LogBuffer.MAX_ENTRIES + 5; i++) {
            buffer.add(entry(LogLevel.INFO, "info " + i), 0);
        }
        assertThat(buffer.size()).isEqualTo(LogBuffer.MAX_ENTRIES);
        assertThat(buffer.dropped()).isEqualTo(6);
        List<LogEntry> batch = new ArrayList<>();
        buffer.takeBatch(batch, 1, 0);
        assertThat(batch.get(0).message()).isEqualTo("the error");
        assertThat(batch.get(1).message()).isEqualTo("info 6");
    }

    @Test
    void long_messages_are_cut_and_marked_and_big_entries_split_batches() {
        LogBuffer buffer = new LogBuffer();
        for (int i = 0; i < 60; i++) {
            buffer.add(entry(LogLevel.INFO, "é".repeat(20_000)), 0);
        }
        List<LogEntry> batch = new ArrayList<>();
        int n = buffer.takeBatch(batch, 1, 0);
        assertThat(n).isLessThan(60);
        assertThat(Wire.bytes(batch)).isLessThanOrEqualTo(LogBuffer.BATCH_BYTES);
        String message = batch.get(0).message();
        assertThat(message).hasSize(LogBuffer.MAX_MESSAGE_CHARS).endsWith(Wire.TRUNCATED);
    }
}
