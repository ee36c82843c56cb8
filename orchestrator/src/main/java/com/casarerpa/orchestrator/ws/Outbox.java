package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.metrics.RobotMetrics;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.ServerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a connection. Jetty allows no second send before the previous completes, and
 * messages come from the connection's own thread (answers) and from the dispatcher (assignments,
 * cancels), so every message is queued here and written one at a time, in order. A close is
 * queued too, so an {@code error} that explains it is written first.
 */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    /** The longest close reason RFC 6455 allows (125 bytes of payload minus the 2-byte code). */
    private static final int MAX_REASON_BYTES = 123;

    /** A message ({@code type} and {@code text}), or the close ({@code text} null). */
    private record Item(String type, String text, int closeCode, String reason) {}

    private final Session session;
    private final String connectionId;
    private final RobotMetrics metrics;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean closing;
    /** When the write in progress started (System.nanoTime()), or 0 when none is. */
    private volatile long writingSince;

    Outbox(Session session, String connectionId, RobotMetrics metrics) {
        this.session = session;
        this.connectionId = connectionId;
        this.metrics = metrics;
    }

    void send(ServerMessage message) {
        if (!closing) {
            queue.add(new Item(Protocol.type(message), Protocol.text(message), 0, null));
            pump();
        }
    }

    /** Closes after everything queued so far has been written; later sends are dropped. */
    void close(int code, String reason) {
        if (!closing) {
            closing = true;
            queue.add(new Item(null, null, code, shorten(reason)));
            pump();
        }
    }

    boolean closing() {
        return closing;
    }

    private void pump() {
        if (!writing.compareAndSet(false, true)) {
            return;
        }
        Item next = queue.poll();
        if (next == null) {
            writing.set(false);
            if (!queue.isEmpty()) {
                pump();
            }
            return;
        }
        if (next.text() == null) {
            queue.clear();
            session.close(next.closeCode(), next.reason(), Callback.NOOP);
            return;
        }
        writingSince = System.nanoTime();
        metrics.websocketMessage(RobotMetrics.Direction.OUT, next.type());
        session.sendText(next.text(), Callback.from(this::written, this::failed));
    }

    private void written() {
        writingSince = 0;
        writing.set(false);
        pump();
    }

    private void failed(Throwable t) {
        log.debug("connection {}: send failed: {}", connectionId, t.toString());
        writingSince = 0;
        closing = true;
        queue.clear();
        writing.set(false);
    }

    /** True when a write has been in progress for longer than {@code limit}: the peer stopped reading. */
    boolean stalled(Duration limit) {
        long since = writingSince;
        return since != 0 && System.nanoTime() - since > limit.toNanos();
    }

    /**
     * Closes now, without waiting for the queue (a stalled write would hold a queued close back
     * forever); if even the close frame cannot be written, the connection is dropped.
     */
    void closeNow(int code, String reason) {
        closing = true;
        queue.clear();
        session.close(code, shorten(reason), Callback.from(() -> { }, t -> session.disconnect()));
    }

    /** Drops the TCP connection without a close handshake. */
    void disconnect() {
        session.disconnect();
    }

    private static String shorten(String reason) {
        String r = reason;
        while (r.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            r = r.substring(0, r.length() - 2) + "…";
        }
        return r;
    }
}
