package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.api.ForwardedHeaders.Client;
import com.casarerpa.orchestrator.config.ClientAddressHeader;
import com.casarerpa.orchestrator.config.NetworkRange;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@link ForwardedHeaders} decides a request's client from its TCP peer and headers: headers
 * count only from a trusted proxy, only the configured one, and the client is the rightmost
 * address of the chain that is not a trusted proxy.
 */
class ForwardedHeadersTest {
    private static final List<NetworkRange> PROXIES = List.of(NetworkRange.parse("10.0.0.0/8"), NetworkRange.parse("::1"));

    private static ForwardedHeaders trusting(ClientAddressHeader header) {
        return new ForwardedHeaders(PROXIES, header, false);
    }

    private static Client client(ForwardedHeaders f, String peer, Map<String, String> headers) {
        return f.client(peer, "http", name -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).toList());
    }

    @Test
    void an_untrusted_peer_is_the_client_whatever_it_says() {
        ForwardedHeaders f = trusting(ClientAddressHeader.X_FORWARDED_FOR);
        Client c = client(f, "203.0.113.5", Map.of("X-Forwarded-For", "198.51.100.1", "X-Forwarded-Proto", "https"));
        assertThat(c).isEqualTo(new Client("203.0.113.5", "http", false));
        assertThat(client(new ForwardedHeaders(List.of(), ClientAddressHeader.X_FORWARDED_FOR, false), "10.0.0.1",
                Map.of("X-Forwarded-For", "198.51.100.1"))).as("no proxy is trusted by default")
                .isEqualTo(new Client("10.0.0.1", "http", false));
    }

    @Test
    void from_a_trusted_proxy_the_client_is_the_rightmost_untrusted_address() {
        ForwardedHeaders f = trusting(ClientAddressHeader.X_FORWARDED_FOR);
        // The client wrote 1.1.1.1 itself; 198.51.100.7 is what the first trusted proxy saw.
        assertThat(client(f, "10.0.0.2", Map.of("X-Forwarded-For", "1.1.1.1, 198.51.100.7, 10.0.0.9", "X-Forwarded-Proto", "https")))
                .isEqualTo(new Client("198.51.100.7", "https", true));
        assertThat(client(f, "10.0.0.2", Map.of("X-Forwarded-For", "10.0.0.7, 10.0.0.9")))
                .as("only proxies: the leftmost").isEqualTo(new Client("10.0.0.7", "http", true));
        assertThat(client(f, "[::1]", Map.of("X-Forwarded-For", "[2001:db8::5]:4711")))
                .isEqualTo(new Client("2001:db8:0:0:0:0:0:5", "http", true));
        assertThat(client(f, "10.0.0.2", Map.of("X-Forwarded-For", "198.51.100.7:5000")).address()).isEqualTo("198.51.100.7");
    }

    @Test
    void an_entry_that_is_no_address_stops_at_the_proxy_that_wrote_it() {
        ForwardedHeaders f = trusting(ClientAddressHeader.X_FORWARDED_FOR);
        assertThat(client(f, "10.0.0.2", Map.of("X-Forwarded-For", "198.51.100.7, unknown, 10.0.0.9")))
                .isEqualTo(new Client("10.0.0.9", "http", true));
        assertThat(client(f, "10.0.0.2", Map.of("X-Forwarded-For", "evil.example.com")))
                .isEqualTo(new Client("10.0.0.2", "http", false));
        assertThat(client(f, "10.0.0.2", Map.of("X-Forwarded-For", "198.51.100.0/24")).address()).isEqualTo("10.0.0.2");
    }

    @Test
    void only_the_configured_header_counts() {
        Map<String, String> both = Map.of("X-Forwarded-For", "192.0.2.1", "X-Real-IP", "198.51.100.7");
        assertThat(client(trusting(ClientAddressHeader.X_REAL_IP), "10.0.0.2", both).address()).isEqualTo("198.51.100.7");
        assertThat(client(trusting(ClientAddressHeader.X_FORWARDED_FOR), "10.0.0.2", both).address()).isEqualTo("192.0.2.1");
        assertThat(client(trusting(ClientAddressHeader.FORWARDED), "10.0.0.2", both))
                .as("without the configured header: the proxy itself").isEqualTo(new Client("10.0.0.2", "http", false));
    }

    @Test
    void rfc_7239_forwarded_gives_address_and_scheme() {
        ForwardedHeaders f = trusting(ClientAddressHeader.FORWARDED);
        Client c = client(f, "10.0.0.2", Map.of("Forwarded", "for=192.0.2.1;proto=http, for=\"[2001:db8::17]:4711\";proto=https;by=10.0.0.2"));
        assertThat(c).isEqualTo(new Client("2001:db8:0:0:0:0:0:17", "https", true));
        assertThat(client(f, "10.0.0.2", Map.of("Forwarded", "for=_hidden;proto=https"))).isEqualTo(new Client("10.0.0.2", "https", false));
    }

    @Test
    void a_scheme_other_than_http_or_https_is_ignored_and_the_nearest_proxy_speaks_last() {
        ForwardedHeaders f = trusting(ClientAddressHeader.X_FORWARDED_FOR);
        assertThat(client(f, "10.0.0.2", Map.of("X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "gopher")).scheme())
                .isEqualTo("http");
        assertThat(client(f, "10.0.0.2", Map.of("X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "http, https")).scheme())
                .isEqualTo("https");
    }

    @Test
    void several_lines_of_a_header_are_one_list() {
        ForwardedHeaders f = trusting(ClientAddressHeader.X_FORWARDED_FOR);
        Client c = f.client("10.0.0.2", "http", name -> name.equals("X-Forwarded-For")
                ? Arrays.asList("198.51.100.7", "10.0.0.3") : List.of());
        assertThat(c.address()).isEqualTo("198.51.100.7");
    }
}
