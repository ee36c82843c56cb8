package com.casarerpa.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The networks of {@code metrics.open_to}: CIDR of either family, literal addresses only. */
class NetworkRangeTest {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void a_network_holds_the_addresses_that_share_its_prefix() throws UnknownHostException {
        NetworkRange lan = NetworkRange.parse("10.1.0.0/17");
        assertThat(lan.contains(ip("10.1.127.255"))).isTrue();
        assertThat(lan.contains(ip("10.1.128.0"))).isFalse();
        assertThat(lan.contains(ip("11.1.0.1"))).isFalse();
        assertThat(NetworkRange.parse("192.168.7.9/8").contains(ip("192.0.0.1"))).as("host bits ignored").isTrue();
        NetworkRange v6 = NetworkRange.parse("fd00:ab::/32");
        assertThat(v6.contains(ip("fd00:ab:ffff::1"))).isTrue();
        assertThat(v6.contains(ip("fd00:ac::1"))).isFalse();
    }

    @Test
    void a_bare_address_is_itself_alone_and_families_never_mix() throws UnknownHostException {
        NetworkRange loopback = NetworkRange.parse("127.0.0.1");
        assertThat(loopback.prefix()).isEqualTo(32);
        assertThat(loopback.contains(ip("127.0.0.1"))).isTrue();
        assertThat(loopback.contains(ip("127.0.0.2"))).isFalse();
        assertThat(NetworkRange.parse("::1").prefix()).isEqualTo(128);
        assertThat(NetworkRange.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        assertThat(NetworkRange.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(NetworkRange.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
    }

    @Test
    void an_ipv4_mapped_network_is_the_ipv4_network() throws UnknownHostException {
        NetworkRange mapped = NetworkRange.parse("::ffff:10.0.0.0/104");
        assertThat(mapped.prefix()).isEqualTo(8);
        assertThat(mapped.contains(ip("10.200.0.1"))).isTrue();
    }

    @Test
    void names_and_malformed_networks_are_refused_without_a_lookup() {
        for (String bad : new String[] {"localhost", "example.com/8", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x",
                "999.0.0.1", "10.0.0/8", "fe80::1%eth0", ""}) {
            assertThatThrownBy(() -> NetworkRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_list_is_comma_separated_or_none() {
        var type = NetworkRange.listType();
        assertThat(type.parse(" 10.0.0.0/8 ,::1/128")).extracting(NetworkRange::text).containsExactly("10.0.0.0/8", "::1/128");
        assertThat(type.parse("NONE")).isEmpty();
        assertThat(type.format(type.parse("none"))).isEqualTo("none");
        assertThatThrownBy(() -> type.parse("10.0.0.0/8,,::1")).isInstanceOf(IllegalArgumentException.class);
    }
}
