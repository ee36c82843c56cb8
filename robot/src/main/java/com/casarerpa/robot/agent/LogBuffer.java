package com.casarerpa.robot.agent;

import com.casarerpa.engine.LogLevel;
import com.casarerpa.protocol.ws.Parts.LogEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The log entries of one attempt not yet put into a {@code log_batch}. Bounded: beyond
 * {@link #MAX_ENTRIES} (a long disconnection), the oldest {@code debug}/{@code info} entries go
 * first, then the oldest of any level. Sequence numbers are given when entries leave in a batch,
 * so dropped entries leave no gap. Not thread-safe: {@link JobBook} guards it.
 */
final class LogBuffer {
    static final int MAX_ENTRIES = 10_000;
    static final int BATCH_ENTRIES = 100;
    /** Well below the 1 MiB message limit, whatever the characters. */
    static final int BATCH_BYTES = 256 * 1024;
    static final int MAX_MESSAGE_CHARS = 10_000;

    record Entry(Instant at, LogLevel level, String message, String nodeId, String nodeType) {}

    private final List<Entry> entries = new ArrayList<>();
    private int dropped;
    private long oldestNanos;

    void add(Entry entry, long nowNanos) {
        if (entries.isEmpty()) {
            oldestNanos = nowNanos;
        }
        entries.add(entry);
        if (entries.size() > MAX_ENTRIES) {
            dropOne();
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** Entries dropped so far because the buffer was full. */
    int dropped() {
        return dropped;
    }

    /** Whether a batch should go now: a full one, or entries waiting for {@code maxAgeNanos}. */
    boolean due(long nowNanos, long maxAgeNanos) {
        return entries.size() >= BATCH_ENTRIES || (!entries.isEmpty() && nowNanos - oldestNanos >= maxAgeNanos);
    }

    /**
     * Moves up to one batch of entries into {@code into}, numbered from {@code firstSeq}.
     *
     * @return how many entries were moved
     */
    int takeBatch(List<LogEntry> into, long firstSeq, long nowNanos) {
        int bytes = 0;
        int n = 0;
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && n < BATCH_ENTRIES) {
            Entry e = it.next();
            LogEntry json = new LogEntry(firstSeq + n, Wire.time(e.at()), e.level().wireName(),
                    Wire.cut(e.message() == null ? "" : e.message(), MAX_MESSAGE_CHARS), e.nodeId(), e.nodeType());
            int size = Wire.bytes(json);
            if (n > 0 && bytes + size > BATCH_BYTES) {
                break;
            }
            bytes += size;
            into.add(json);
            it.remove();
            n++;
        }
        oldestNanos = nowNanos;
        return n;
    }

    private void dropOne() {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            LogLevel level = it.next().level();
            if (level == LogLevel.DEBUG || level == LogLevel.INFO) {
                it.remove();
                dropped++;
                return;
            }
        }
        entries.remove(0);
        dropped++;
    }
}
