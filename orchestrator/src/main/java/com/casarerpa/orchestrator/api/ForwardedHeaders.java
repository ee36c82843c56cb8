package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.config.ClientAddressHeader;
import com.casarerpa.orchestrator.config.NetworkRange;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place that decides a request's {@link RequestOrigin} (docs/operations.md, "Trusted
 * proxies and forwarded headers"). The headers a proxy adds are believed only when the TCP peer
 * is in {@code orchestrator.trusted_proxies} (default: none), and only the one header of
 * {@code orchestrator.client_address_header}. Its addresses and the peer form a chain, client
 * first; walking it from the peer backwards, the first address that is not a trusted proxy is the
 * client (addresses to its left were written by the client and prove nothing). A chain of
 * trusted proxies only names its leftmost address; an entry that is no IP address ({@code
 * unknown}, an obfuscated name) ends the walk at the trusted proxy that wrote it. The scheme is
 * the nearest proxy's {@code X-Forwarded-Proto} (or {@code proto=} of {@code Forwarded}) when it
 * says {@code http} or {@code https}.
 *
 * <p>Runs before every request and WebSocket upgrade, ahead of authentication.
 */
public final class ForwardedHeaders implements RouteGroup {
    static final String PROTO_HEADER = "X-Forwarded-Proto";
    /** Headers a proxy adds for the client it forwards. */
    static final List<String> FORWARDING_HEADERS = List.of("X-Forwarded-For", "X-Real-IP", "Forwarded");

    private final List<NetworkRange> trustedProxies;
    private final ClientAddressHeader header;
    private final boolean trustHostHeader;

    public ForwardedHeaders(OrchestratorSettings.Ingress ingress) {
        this(ingress.trustedProxies(), ingress.clientAddressHeader(), ingress.trustHostHeader());
    }

    ForwardedHeaders(List<NetworkRange> trustedProxies, ClientAddressHeader header, boolean trustHostHeader) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.header = header;
        this.trustHostHeader = trustHostHeader;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.before(this::decide);
        routes.wsBeforeUpgrade(this::decide);
    }

    private void decide(Context ctx) {
        Client client = client(String.valueOf(ctx.req().getRemoteAddr()), ctx.scheme(),
                name -> Collections.list(ctx.req().getHeaders(name)));
        String host = ctx.header("Host");
        // The Host header is the client's word (a proxy passes it on): believed for URLs only when configured.
        String baseUrl = trustHostHeader && host != null && !host.isBlank() ? client.scheme() + "://" + host.strip()
                : RequestOrigin.ownBaseUrl(ctx);
        RequestOrigin.set(ctx, new RequestOrigin(client.address(), client.scheme(), client.forwarded(), baseUrl));
    }

    /** A request's client: its address and scheme, and whether a trusted proxy stated them. */
    record Client(String address, String scheme, boolean forwarded) {}

    /**
     * The client of a request from {@code peer} over {@code scheme} with these headers.
     *
     * @param headers every value of a header, by name (several lines of one header in order)
     */
    Client client(String peer, String scheme, Function<String, List<String>> headers) {
        String peerAddress = literal(peer);
        if (!trusted(peerAddress)) {
            return new Client(peerAddress, scheme, false);
        }
        List<Hop> stated = hops(headers);
        String clientScheme = forwardedScheme(headers, stated).orElse(scheme);
        List<Hop> chain = new ArrayList<>(stated);
        chain.add(new Hop(peerAddress, Optional.of(scheme)));
        int client = chain.size() - 1;
        while (client > 0) {
            Optional<String> left = address(chain.get(client - 1).address());
            if (left.isEmpty()) {
                break; // no address: the trusted proxy to its right is as far as we know
            }
            client--;
            if (!trusted(left.get())) {
                break;
            }
        }
        boolean forwarded = client < chain.size() - 1;
        return new Client(forwarded ? address(chain.get(client).address()).orElseThrow() : peerAddress, clientScheme, forwarded);
    }

    /** The addresses the configured header states, client first, each with the scheme it states (Forwarded only). */
    private List<Hop> hops(Function<String, List<String>> headers) {
        List<Hop> hops = new ArrayList<>();
        for (String line : headers.apply(header.header())) {
            for (String element : line.split(",")) {
                if (header == ClientAddressHeader.FORWARDED) {
                    hops.add(forwardedElement(element));
                } else if (!element.isBlank()) {
                    hops.add(new Hop(element.strip(), Optional.empty()));
                }
            }
        }
        // X-Real-IP holds one address, the one the proxy that set it saw.
        return header == ClientAddressHeader.X_REAL_IP && !hops.isEmpty() ? List.of(hops.getLast()) : hops;
    }

    /** The nearest proxy's word on the scheme: the last X-Forwarded-Proto value, or proto= of the last Forwarded element. */
    private Optional<String> forwardedScheme(Function<String, List<String>> headers, List<Hop> stated) {
        Optional<String> said;
        if (header == ClientAddressHeader.FORWARDED) {
            said = stated.isEmpty() ? Optional.empty() : stated.getLast().proto();
        } else {
            List<String> values = new ArrayList<>();
            headers.apply(PROTO_HEADER).forEach(line -> values.addAll(List.of(line.split(","))));
            said = values.isEmpty() ? Optional.empty() : Optional.of(values.getLast());
        }
        return said.map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> s.equals("http") || s.equals("https"));
    }

    /** One element of RFC 7239 {@code Forwarded}: {@code for=…;proto=…;by=…}, values perhaps quoted. */
    private static Hop forwardedElement(String element) {
        String forAddress = "";
        Optional<String> proto = Optional.empty();
        for (String pair : element.split(";")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = unquote(pair.substring(eq + 1).strip());
            if (name.equals("for")) {
                forAddress = value;
            } else if (name.equals("proto")) {
                proto = Optional.of(value);
            }
        }
        return new Hop(forAddress, proto);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private boolean trusted(String address) {
        return ipAddress(address).map(a -> NetworkRange.anyContains(trustedProxies, a)).orElse(false);
    }

    /** The IP address of a chain entry ({@code 10.0.0.1}, {@code 10.0.0.1:4711}, {@code [2001:db8::1]:4711}, {@code 2001:db8::1}), normalised. */
    private static Optional<String> address(String entry) {
        String e = entry.strip();
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            e = close < 0 ? e : e.substring(1, close);
        } else if (e.indexOf(':') > 0 && e.indexOf(':') == e.lastIndexOf(':')) {
            e = e.substring(0, e.indexOf(':')); // IPv4 with a port
        }
        return ipAddress(e).map(InetAddress::getHostAddress);
    }

    /** The TCP peer as Jetty reports it ({@code 127.0.0.1}, {@code [::1]}), normalised; as it came when it is no IP literal. */
    static String literal(String peer) {
        return address(peer).orElse(peer);
    }

    static Optional<InetAddress> ipAddress(String literal) {
        if (literal.contains("/")) {
            return Optional.empty(); // a network, not an address
        }
        try {
            return Optional.of(NetworkRange.parse(literal).network());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the request carries any header a proxy adds for a client. */
    static boolean anyForwardingHeader(Context ctx) {
        return FORWARDING_HEADERS.stream().anyMatch(h -> ctx.header(h) != null);
    }

    private record Hop(String address, Optional<String> proto) {}
}
