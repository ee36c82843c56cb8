package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.config.NetworkRange;
import io.javalin.http.Context;
import java.util.List;

/**
 * Who reads {@code /metrics} without a key (docs/monitoring.md): a client whose address
 * ({@link RequestOrigin}) is in {@code metrics.open_to}. A request that carries a forwarding
 * header its peer is not trusted for needs a key: a reverse proxy on the same machine connects
 * from loopback for clients anywhere, and unless it is in {@code orchestrator.trusted_proxies}
 * nothing says who they are.
 */
final class MetricsAccess {
    private MetricsAccess() {}

    static boolean openWithoutKey(Context ctx, List<NetworkRange> openTo) {
        RequestOrigin origin = RequestOrigin.of(ctx);
        if (openTo.isEmpty() || (!origin.forwarded() && ForwardedHeaders.anyForwardingHeader(ctx))) {
            return false;
        }
        return ForwardedHeaders.ipAddress(origin.clientAddress()).map(a -> NetworkRange.anyContains(openTo, a)).orElse(false);
    }
}
