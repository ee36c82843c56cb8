package com.casarerpa.robot.config;

import com.casarerpa.common.config.ValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The orchestrator address as a robot is given it: {@code ws://host:8000} (the path
 * {@code /ws/robots} is added when none is given), {@code wss://…}, or the REST base URL
 * {@code http(s)://host:8000}, which names the same server. A query string is refused, because the
 * key belongs in a header (docs/websocket-api.md, "Authentication").
 */
public final class RobotUrl {
    public static final String PATH = "/ws/robots";

    private RobotUrl() {}

    public static ValueType<URI> type() {
        return ValueType.of("a ws://, wss://, http:// or https:// URL of the orchestrator, e.g. ws://host:8000",
                RobotUrl::parse, URI::toString);
    }

    static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String ws = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new IllegalArgumentException("unsupported scheme");
        };
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("no host, or a query or user part");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")
                ? PATH : uri.getRawPath();
        try {
            return new URI(ws, null, uri.getHost(), uri.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
