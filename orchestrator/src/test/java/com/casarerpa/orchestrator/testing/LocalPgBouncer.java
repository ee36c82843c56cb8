package com.casarerpa.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's pgbouncer on a free loopback port in front of the suite's PostgreSQL, with a
 * configuration of its own in a temporary directory ({@code auth_type = trust}, the test user
 * in its auth file), never the system service. {@link #close()} stops it. pgbouncer refuses to
 * run as root; as root it is started with {@code -u postgres}, its directory given to that user.
 * Nothing else is set: the orchestrator must work with pgbouncer's defaults.
 */
public final class LocalPgBouncer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private LocalPgBouncer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts pgbouncer with {@code pool_mode} ({@code session} or {@code transaction}) for every database. */
    public static LocalPgBouncer start(String poolMode) {
        try {
            Path dir = Files.createTempDirectory("casare-pgbouncer-");
            int port = freePort();
            Path ini = dir.resolve("pgbouncer.ini");
            Files.writeString(dir.resolve("userlist.txt"), "\"" + TestPostgres.USER + "\" \"" + TestPostgres.PASSWORD + "\"\n");
            Files.writeString(ini, String.join("\n",
                    "[databases]",
                    "* = host=" + TestPostgres.HOST + " port=" + TestPostgres.PORT,
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + dir.resolve("userlist.txt"),
                    "pool_mode = " + poolMode,
                    "max_client_conn = 500",
                    "default_pool_size = 40",
                    ""));
            List<String> command = new ArrayList<>(List.of("pgbouncer"));
            if ("root".equals(System.getProperty("user.name"))) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.toList()) {
                        Files.setOwner(p, postgres);
                    }
                }
                command.addAll(List.of("-u", "postgres"));
            }
            command.add(ini.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pgbouncer.log").toFile()).start();
            LocalPgBouncer bouncer = new LocalPgBouncer(process, dir, port);
            await("pgbouncer listens on " + port).atMost(Duration.ofSeconds(10))
                    .failFast("pgbouncer exited: " + bouncer.log(), () -> !process.isAlive())
                    .until(() -> accepts(port));
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pgbouncer (Debian package pgbouncer): " + e.getMessage(), e);
        }
    }

    /** {@code postgresql://user@127.0.0.1:<port>/database}: the database through this pgbouncer. */
    public String url(String database) {
        String auth = TestPostgres.PASSWORD.isEmpty() ? TestPostgres.USER : TestPostgres.USER + ":" + TestPostgres.PASSWORD;
        return "postgresql://" + auth + "@127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** What pgbouncer logged so far, for failure messages. */
    public String log() {
        try {
            Path file = dir.resolve("pgbouncer.log");
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
