package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.config.NetworkRange;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Who reads {@code /metrics} without a key (docs/monitoring.md): a client whose address is in
 * {@code metrics.open_to}, unless its request carries a forwarding header. A reverse proxy on
 * the same machine connects from loopback for clients anywhere; its requests need a key.
 */
final class MetricsAccess {
    /** Headers a proxy adds for the client it forwards. */
    static final List<String> FORWARDING_HEADERS = List.of("X-Forwarded-For", "X-Real-IP", "Forwarded");

    private MetricsAccess() {}

    static boolean openWithoutKey(Context ctx, List<NetworkRange> openTo) {
        if (openTo.isEmpty() || FORWARDING_HEADERS.stream().anyMatch(h -> ctx.header(h) != null)) {
            return false;
        }
        return clientAddress(ctx).map(a -> NetworkRange.anyContains(openTo, a)).orElse(false);
    }

    /** The address the connection comes from (never a header's word); empty when it is not a plain IP literal. */
    private static Optional<InetAddress> clientAddress(Context ctx) {
        String remote = String.valueOf(ctx.req().getRemoteAddr());
        String literal = remote.startsWith("[") && remote.endsWith("]") ? remote.substring(1, remote.length() - 1) : remote;
        try {
            return Optional.of(NetworkRange.parse(literal).network());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
