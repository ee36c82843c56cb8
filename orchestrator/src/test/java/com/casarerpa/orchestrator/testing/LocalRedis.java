package com.casarerpa.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Redis for tests: the machine's (127.0.0.1:6379, shared: each test writes under a key prefix of
 * its own and deletes those keys after, never anything else), or a {@code redis-server} of the
 * test's own on a free loopback port, without persistence, that the test may pause, kill and
 * start again on the same port.
 */
public final class LocalRedis implements AutoCloseable {
    /** The machine's Redis. */
    public static final String MACHINE_URL = "redis://127.0.0.1:6379";

    private final int port;
    private Process process;

    private LocalRedis(int port) {
        this.port = port;
    }

    /** A key prefix no other test uses. */
    public static String uniquePrefix() {
        return "casare-test-" + UUID.randomUUID() + ":";
    }

    /** A new {@code redis-server} on a free port, answering PING. */
    public static LocalRedis start() {
        LocalRedis r = notStarted();
        r.restart();
        return r;
    }

    /** A free port where a {@code redis-server} will run once {@link #restart} is called; nothing listens there yet. */
    public static LocalRedis notStarted() {
        return new LocalRedis(freePort());
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again on the same port (empty: it keeps nothing on disk); returns once it answers. */
    public void restart() {
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server could not be started (is it installed?)", e);
        }
        await().atMost(Duration.ofSeconds(10)).until(this::accepts);
    }

    /** SIGKILL: gone at once, connections reset. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: connections stay open, nothing answers (commands time out); its data stays. */
    public void pause() {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The keys under {@code prefix} in the Redis at {@code url}. */
    public static List<String> keys(String url, String prefix) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> keys = new ArrayList<>();
            ScanIterator.scan(c.sync(), ScanArgs.Builder.matches(prefix + "*").limit(1000)).forEachRemaining(keys::add);
            return keys;
        } finally {
            client.shutdown();
        }
    }

    /** Deletes the keys under {@code prefix} in the Redis at {@code url} (what a test wrote), nothing else. */
    public static void deleteKeys(String url, String prefix) {
        List<String> keys = keys(url, prefix);
        if (keys.isEmpty()) {
            return;
        }
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().del(keys.toArray(String[]::new));
        } finally {
            client.shutdown();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            resume();
            kill();
        }
    }
}
