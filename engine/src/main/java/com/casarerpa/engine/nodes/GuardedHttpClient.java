package com.casarerpa.engine.nodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of one HttpRequestNode execution. Its only resolver is the {@link NetworkGuard},
 * so it connects to no address the guard did not check; TLS still verifies the certificate
 * against the host name of the URL. It follows no redirect, retries nothing, keeps no cookies
 * and decompresses nothing: the node decides all of that.
 */
final class GuardedHttpClient implements AutoCloseable {
    private final CloseableHttpClient client;

    GuardedHttpClient(NetworkGuard guard, Duration connectTimeout) {
        client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(guard)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(connectTimeout)).build())
                        .build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .disableContentCompression().disableAuthCaching()
                .build();
    }

    /**
     * Sends on a thread of its own, so that an interrupt (cancel) or the timeout abandons the
     * request at once: the connection is dropped, not drained.
     *
     * @throws HttpTimeoutException when no whole answer came within {@code timeout}
     * @throws NetworkGuard.Blocked when the host has a private address the robot does not allow
     */
    HttpAnswer send(HttpUriRequestBase request, Duration timeout, long maxBody) throws IOException, InterruptedException {
        CompletableFuture<HttpAnswer> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("http-request").start(() -> {
            try {
                answer.complete(exchange(request, maxBody));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            request.cancel();
            throw new HttpTimeoutException("request timed out after " + timeout.toMillis() / 1000.0 + " s");
        } catch (InterruptedException e) {
            request.cancel();
            throw e;
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error error -> throw error;
                default -> throw new UncheckedIOException(new IOException(e.getCause()));
            }
        }
    }

    private HttpAnswer exchange(HttpUriRequestBase request, long maxBody) throws IOException {
        ClassicHttpResponse response = client.executeOpen(null, request, null);
        try {
            return HttpAnswer.read(response, maxBody);
        } catch (IOException | RuntimeException e) {
            request.cancel(); // rather than read the rest of a body nobody will use
            throw e;
        } finally {
            response.close();
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
