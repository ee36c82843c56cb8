package com.casarerpa.orchestrator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP forwarder between the server under test and a real database (or between a robot and the
 * server), so a test can make the far side "go away" ({@link #cut()}: existing connections
 * dropped, new ones refused) and "come back" ({@link #restore()}: same port accepts again) without
 * touching the real server; or partition it silently ({@link #freeze()}: nothing is forwarded
 * either way and nothing is closed, as when a network path dies) until {@link #thaw()}.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private final ReentrantLock frozenLock = new ReentrantLock();
    private final Condition thawed = frozenLock.newCondition();
    private boolean frozen;
    /** Bumped by every {@link #cut()}: a connection accepted under an older one is dropped, never forwarded. */
    private long generation;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        ServerSocket first = bind(0);
        this.port = first.getLocalPort();
        accept(first);
    }

    public int port() {
        return port;
    }

    /**
     * Drops every forwarded connection and refuses new ones. Airtight: a connection the listener
     * accepted just before (its upstream still being opened) is dropped too, so no instance keeps
     * a working connection through the cut.
     */
    public synchronized void cut() throws IOException {
        generation++;
        ServerSocket current = listener;
        listener = null;
        if (current != null) {
            current.close();
        }
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    /**
     * Stops forwarding, both ways, on every connection, without closing any: what each side
     * sends from now on is held (read into the proxy, never written on) until {@link #thaw()}.
     */
    public void freeze() {
        frozenLock.lock();
        try {
            frozen = true;
        } finally {
            frozenLock.unlock();
        }
    }

    /** Forwards again: what was held goes on, in order. */
    public void thaw() {
        frozenLock.lock();
        try {
            frozen = false;
            thawed.signalAll();
        } finally {
            frozenLock.unlock();
        }
    }

    /** Accepts connections on the same port again. */
    public synchronized void restore() throws IOException {
        if (listener == null) {
            accept(bind(port));
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return s;
    }

    private void accept(ServerSocket socket) {
        listener = socket;
        long accepting = generation;
        threads.submit(() -> {
            while (!socket.isClosed()) {
                Socket client;
                try {
                    client = socket.accept();
                } catch (IOException e) {
                    return;
                }
                threads.submit(() -> forward(client, accepting));
            }
        });
    }

    /** Opens the upstream and pumps both ways, unless a cut came since {@code accepted}'s listener opened. */
    private void forward(Socket client, long accepted) {
        Socket upstream;
        try {
            upstream = new Socket(targetHost, targetPort);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        synchronized (this) {
            if (generation != accepted) {
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            open.add(client);
            open.add(upstream);
        }
        threads.submit(() -> pump(client, upstream));
        threads.submit(() -> pump(upstream, client));
    }

    /** Copies {@code from} to {@code to}; when one side ends, both are closed, once the proxy is not frozen. */
    private void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                awaitThawed();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (InterruptedException | IOException ended) {
            // one side closed (or the proxy is closing): close both below
        } finally {
            try {
                awaitThawed(); // a partition passes no close on either
            } catch (InterruptedException closing) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitThawed() throws InterruptedException {
        frozenLock.lock();
        try {
            while (frozen) {
                thawed.await();
            }
        } finally {
            frozenLock.unlock();
        }
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        threads.shutdownNow();
    }
}
