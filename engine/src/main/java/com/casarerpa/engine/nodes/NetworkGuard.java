package com.casarerpa.engine.nodes;

import com.casarerpa.engine.HostResolver;
import com.casarerpa.engine.node.NodeFailure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hc.client5.http.DnsResolver;

/**
 * HttpRequestNode's protection against requests to the robot's own machine and network
 * (SSRF): only http and https URLs with a host, and unless the robot allows private networks,
 * no connection to an address of {@link PrivateAddresses}. It is the HTTP client's resolver:
 * every connection asks it once, and the client connects to exactly the addresses it checked,
 * so a name that answers a public address first and a private one later (DNS rebinding) cannot
 * slip through. Every redirect target goes through it again.
 */
final class NetworkGuard implements DnsResolver {
    private final HostResolver resolver;
    private final boolean allowPrivate;

    NetworkGuard(HostResolver resolver, boolean allowPrivate) {
        this.resolver = resolver;
        this.allowPrivate = allowPrivate;
    }

    /** Refuses a URL that is not http or https, or has no host. */
    static void checkUrl(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw NodeFailure.config("only http and https URLs are allowed, got '" + uri + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw NodeFailure.config("the URL '" + uri + "' has no host");
        }
    }

    /** The node's failure for a connection the guard refused. */
    static NodeFailure blocked(URI uri, Blocked e) {
        return new NodeFailure("SSRFBlocked", "SSRF protection blocked request to " + uri + " (" + e.address.getHostAddress()
                + " is a loopback or private address; the robot's allow-private-networks setting permits it)", false);
    }

    /**
     * @throws Blocked when any address of the host is private and the robot does not allow private networks
     */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = resolver.resolve(name);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                if (PrivateAddresses.isPrivate(a)) {
                    throw new Blocked(host, a);
                }
            }
        }
        return addresses.clone();
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return Arrays.stream(resolve(host)).map(a -> new InetSocketAddress(a, port)).toList();
    }

    /** No reverse lookup: the name stays as the workflow wrote it. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    /** A host the guard refused to connect to: {@code address} is private. */
    static final class Blocked extends UnknownHostException {
        final transient InetAddress address;

        Blocked(String host, InetAddress address) {
            super(host + " has the private address " + address.getHostAddress());
            this.address = address;
        }
    }
}
