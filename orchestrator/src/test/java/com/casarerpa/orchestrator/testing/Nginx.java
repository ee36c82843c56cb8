package com.casarerpa.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's nginx ({@code /usr/sbin/nginx}) in front of the orchestrators of a test, running one
 * of the repository's configurations (deploy/nginx) with only its ports, paths and upstream
 * addresses replaced ({@link #site}), in a main configuration of its own in a temporary directory
 * ({@code -p DIR -c DIR/nginx.conf}, in the foreground, its logs in DIR). {@link #close()} stops it.
 */
public final class Nginx implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    /** The repository's nginx configurations, from the orchestrator module (where tests run). */
    public static final Path CONFIGS = Path.of("..", "deploy", "nginx");

    private final Process process;
    private final Path dir;

    private Nginx(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /**
     * The repository's {@code file} with each of {@code replacements} (text to its replacement, in
     * order) made everywhere it occurs. Each must occur: a replacement the file no longer has means
     * the test no longer runs the file as written.
     */
    public static String site(String file, Map<String, String> replacements) {
        String text;
        try {
            text = Files.readString(CONFIGS.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!text.contains(r.getKey())) {
                throw new AssertionError(CONFIGS.resolve(file) + " no longer contains \"" + r.getKey() + "\", which the test replaces");
            }
            text = text.replace(r.getKey(), r.getValue());
        }
        return text;
    }

    /**
     * The replacements that make a configuration of deploy/nginx listen on loopback ports (HTTPS
     * on {@code httpsPort} with {@code certificate}, the redirect on {@code httpPort}) and log into
     * {@code dir} ({@code access.log}, {@code error.log}). The upstream addresses are the test's to add.
     */
    public static Map<String, String> onLoopback(Path dir, SelfSignedCertificate certificate, int httpsPort, int httpPort) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("listen 443 ssl;", "listen 127.0.0.1:" + httpsPort + " ssl;");
        r.put("listen 80;", "listen 127.0.0.1:" + httpPort + ";");
        r.put("/etc/ssl/certs/orchestrator.crt", certificate.certificate().toString());
        r.put("/etc/ssl/private/orchestrator.key", certificate.key().toString());
        r.put("/var/log/nginx/orchestrator-access.log", dir.resolve("access.log").toString());
        r.put("/var/log/nginx/orchestrator-error.log", dir.resolve("error.log").toString());
        return r;
    }

    /** {@code count} different loopback ports, free now. */
    public static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // free again either way
                }
            }
        }
    }

    /**
     * Starts nginx in {@code dir} with {@code site} inside its {@code http} block and waits until
     * each of {@code ports} accepts connections.
     */
    public static Nginx start(Path dir, String site, List<Integer> ports) {
        if (!Files.isExecutable(NGINX)) {
            throw new AssertionError(NGINX + " is missing: install Debian's nginx with `apt-get install -y nginx-light`"
                    + " (scripts/test does so when it runs as root)");
        }
        try {
            Path temp = Files.createDirectories(dir.resolve("temp"));
            Files.writeString(dir.resolve("site.conf"), site);
            // As root, the workers would run as nobody, who may not enter the test's directories.
            String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
            Path conf = Files.writeString(dir.resolve("nginx.conf"), user + """
                    worker_processes 1;
                    error_log %1$s/nginx-error.log info;
                    events { worker_connections 1024; }
                    http {
                        access_log %1$s/other-access.log;
                        client_body_temp_path %2$s/body;
                        proxy_temp_path %2$s/proxy;
                        fastcgi_temp_path %2$s/fastcgi;
                        uwsgi_temp_path %2$s/uwsgi;
                        scgi_temp_path %2$s/scgi;
                        include %1$s/site.conf;
                    }
                    """.formatted(dir, temp));
            Process p = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
                    "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            Nginx nginx = new Nginx(p, dir);
            try {
                await("nginx listens on " + ports).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .failFast(() -> {
                            if (!p.isAlive()) {
                                throw new AssertionError("nginx exited:\n" + nginx.output());
                            }
                        })
                        .until(() -> ports.stream().allMatch(Nginx::accepts));
            } catch (RuntimeException | AssertionError e) {
                nginx.close();
                throw e;
            }
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The access log written by the configuration (where {@link #onLoopback} put it). */
    public String accessLog() {
        return read("access.log");
    }

    /** What nginx printed and wrote to its error logs. */
    public String output() {
        return read("nginx.out") + read("nginx-error.log") + read("error.log");
    }

    private String read(String file) {
        try {
            Path p = dir.resolve(file);
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Stops it (SIGTERM: a fast shutdown) and waits until it is gone. */
    @Override
    public void close() {
        Processes.stop(process);
    }
}
