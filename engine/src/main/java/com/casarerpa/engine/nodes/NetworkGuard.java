package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.NodeFailure;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * HttpRequestNode's protection against requests to the robot's own machine and network
 * (SSRF): only http and https, and unless the robot allows private networks, no host that
 * resolves to a loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
 * (169.254/16, fe80::/10), carrier-grade NAT (100.64/10), wildcard or multicast address.
 * Every redirect target is checked again.
 */
final class NetworkGuard {
    private NetworkGuard() {}

    static void check(URI uri, boolean allowPrivate) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw NodeFailure.config("only http and https URLs are allowed, got '" + uri + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw NodeFailure.config("the URL '" + uri + "' has no host");
        }
        if (allowPrivate) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new NodeFailure("HttpError", "HTTP request failed: unknown host " + uri.getHost(), true);
        }
        for (InetAddress a : addresses) {
            if (isPrivate(a)) {
                throw new NodeFailure("SSRFBlocked", "SSRF protection blocked request to " + uri + " (" + a.getHostAddress()
                        + " is a loopback or private address; the robot's allow-private-networks setting permits it)", false);
            }
        }
    }

    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc;
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }
}
