package com.casarerpa.orchestrator.api;

import com.casarerpa.common.json.Json;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on Jetty 12, request handlers on virtual threads, one error shape,
 * a request id on every exchange, parameters checked before any handler ({@link Parameters}),
 * and a graceful stop (new connections refused, in-flight
 * requests finish within the grace period).
 *
 * <p>{@code workers} sizes Jetty's selector threads, which read and write the sockets; request
 * handlers run on virtual threads and are not bounded by it.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /** Told of each HTTP request once it is answered, with how long that took (metrics). */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (ctx, took) -> { };

        void answered(io.javalin.http.Context ctx, Duration took);
    }

    private final Javalin app;
    private final Duration gracePeriod;
    private final Observer observer;
    private final String scheme;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private ServerConnector connector;
    private Server jetty;

    public HttpApi(String host, int port, int workers, Duration gracePeriod, List<RouteGroup> groups) {
        this(host, port, workers, gracePeriod, groups, Observer.NONE);
    }

    /** @param observer told of every request answered */
    public HttpApi(String host, int port, int workers, Duration gracePeriod, List<RouteGroup> groups, Observer observer) {
        this(host, port, workers, gracePeriod, groups, observer, Optional.empty(), Optional.empty());
    }

    /**
     * @param tls              present: the port speaks only TLS (HTTPS, and WSS for the WebSockets), with
     *                         the certificate this factory holds (it may be reloaded while the server runs)
     * @param workers          Jetty's selector threads (see the class comment)
     * @param dashboardSources the dashboard's directory in the source tree, read at each request
     *                         (development); empty: the jar's copy, compressed once and kept in memory
     */
    public HttpApi(String host, int port, int workers, Duration gracePeriod, List<RouteGroup> groups, Observer observer,
            Optional<SslContextFactory.Server> tls, Optional<java.nio.file.Path> dashboardSources) {
        this.gracePeriod = gracePeriod;
        this.observer = observer;
        this.scheme = tls.isPresent() ? "https" : "http";
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.jsonMapper(new JavalinJackson(Json.mapper(), true));
            config.router.ignoreTrailingSlashes = true;
            config.jetty.addConnector((server, httpConfig) -> {
                httpConfig.setSendServerVersion(false);
                connector = new ServerConnector(server, 1, Math.max(1, workers), connectionFactories(httpConfig, tls));
                connector.setHost(host);
                connector.setPort(port);
                // On stop, idle keep-alive connections are closed after this, not Jetty's 1 s default.
                connector.setShutdownIdleTimeout(100);
                return connector;
            });
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(gracePeriod.toMillis());
                server.setErrorHandler(new JettyErrors());
                jetty = server;
            });
            config.events.serverStarting(() -> wrapGracefully(jetty));
            config.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) {
                    endpoints.add(new Endpoint(meta.getHttpMethod().name(), meta.getPath(),
                            meta.getRoles().stream().filter(Access.class::isInstance).map(Access.class::cast).findFirst()));
                }
            });
            config.routes.before(RequestIds::assign);
            config.routes.before(ResponseHeaders::everyResponse);
            config.routes.wsBeforeUpgrade(RequestIds::assign);
            config.routes.wsBeforeUpgrade(ResponseHeaders::everyResponse);
            config.routes.wsAfterUpgrade(RequestIds::release);
            config.requestLogger.http(this::logRequest);
            Dashboard.configure(config, dashboardSources);
            ErrorMapper.register(config.routes);
            groups.forEach(group -> group.register(config.routes));
            // After the groups' own checks (authentication first), before any handler.
            config.routes.beforeMatched(Parameters::check);
        });
    }

    /**
     * One line per request (DEBUG, WARN for server errors), with the request id and caller in
     * the MDC; the observer is told; then the MDC is cleared.
     */
    private void logRequest(io.javalin.http.Context ctx, Float millis) {
        int status = ctx.status().getCode();
        if (status >= 500) {
            log.warn("{} {} -> {} in {} ms", ctx.method(), ctx.path(), status, Math.round(millis));
        } else {
            log.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), status, Math.round(millis));
        }
        try {
            observer.answered(ctx, Duration.ofNanos(Math.round(millis * 1_000_000.0)));
        } finally {
            RequestIds.release(ctx);
        }
    }

    /**
     * Plain HTTP, or TLS then HTTP/1.1. The request's scheme becomes https. SNI is neither required
     * nor checked against the Host header: clients reach one server by name or by address.
     */
    private static ConnectionFactory[] connectionFactories(HttpConfiguration httpConfig, Optional<SslContextFactory.Server> tls) {
        if (tls.isEmpty()) {
            return new ConnectionFactory[] {new HttpConnectionFactory(httpConfig)};
        }
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        secure.setSniRequired(false);
        httpConfig.addCustomizer(secure);
        HttpConnectionFactory http = new HttpConnectionFactory(httpConfig);
        return new ConnectionFactory[] {new SslConnectionFactory(tls.get(), http.getProtocol()), http};
    }

    private static void wrapGracefully(Server server) {
        if (!(server.getHandler() instanceof GracefulHandler)) {
            GracefulHandler graceful = new GracefulHandler();
            graceful.setHandler(server.getHandler());
            server.setHandler(graceful);
        }
    }

    /** A registered route: method, path template (e.g. {@code /api/v1/workflows/{id}}), declared access. */
    public record Endpoint(String method, String path, Optional<Access> access) {}

    /** Every HTTP route registered, for the OpenAPI document's completeness test. */
    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    public HttpApi start() {
        app.start();
        return this;
    }

    /** {@code https} with TLS, else {@code http}: what URLs to this server start with. */
    public String scheme() {
        return scheme;
    }

    /** The port actually bound (useful when 0 asked for any free port). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting, lets in-flight requests finish (up to the grace period), then stops. */
    @Override
    public void close() {
        log.info("stopping HTTP server (grace period {} s)", gracePeriod.toSeconds());
        app.stop();
    }
}
