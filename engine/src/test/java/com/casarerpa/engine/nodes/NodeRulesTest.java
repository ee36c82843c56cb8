package com.casarerpa.engine.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.engine.HostResolver;
import com.casarerpa.engine.node.NodeFailure;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NodeRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.0.8",
            "198.18.0.1", "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "::ffff:127.0.0.1"})
    void private_loopback_and_link_local_addresses_are_refused(String address) throws Exception {
        assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::127.0.0.1", "::10.0.0.1", "::ffff:0:127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::8.8.8.8", "2002:7f00:1::1", "2002:c0a8:101::1", "2001:0:4136:e378:8000:63bf:80ff:fffe"})
    void ipv6_forms_that_reach_a_private_ipv4_address_are_refused(String address) throws Exception {
        InetAddress parsed = InetAddress.getByName(address);
        assertThat(PrivateAddresses.isPrivate(parsed)).isTrue();
        assertThat(PrivateAddresses.isPrivate(Inet6Address.getByAddress(null, v6(parsed), null))).isTrue();
    }

    /** The 16 bytes of an address, as an IPv4-mapped IPv6 address when Java parsed it as IPv4. */
    private static byte[] v6(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16) {
            return b;
        }
        return new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, b[0], b[1], b[2], b[3]};
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "198.51.100.7", "2001:4860:4860::8888",
            "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"})
    void public_addresses_pass(String address) throws Exception {
        assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(address))).isFalse();
    }

    @Test
    void the_guard_refuses_a_private_answer_and_other_schemes() throws Exception {
        NetworkGuard guard = new NetworkGuard(host -> new InetAddress[] {InetAddress.getByName("8.8.8.8"),
                InetAddress.getByName("::ffff:7f00:1")}, false);

        assertThatThrownBy(() -> guard.resolve("mixed.example")).isInstanceOf(NetworkGuard.Blocked.class)
                .hasMessage("mixed.example has the private address 127.0.0.1");
        assertThat(new NetworkGuard(HostResolver.SYSTEM, false).resolve("[::ffff:8.8.8.8]")).hasSize(1);
        assertThat(new NetworkGuard(HostResolver.SYSTEM, true).resolve("[::1]")).hasSize(1);
        assertThatThrownBy(() -> NetworkGuard.checkUrl(URI.create("ftp://example.com/x"))).isInstanceOf(NodeFailure.class)
                .hasMessageContaining("only http and https");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "echo a  b|echo,a,b", "echo 'a b' \"c d\"|echo,a b,c d", "say \"q\\\"uote\"|say,q\"uote",
            "a\\ b c|a b,c", "echo '$HOME'|echo,$HOME", "x=''|x="})
    void commands_split_into_words_like_a_posix_shell_without_expansion(String line, String words) {
        assertThat(CommandLine.words(line)).containsExactlyElementsOf(List.of(words.split(",", -1)));
    }

    @Test
    void an_unbalanced_quote_is_refused() {
        assertThatThrownBy(() -> CommandLine.words("echo 'oops")).hasMessageContaining("unbalanced quote");
    }

    @Test
    void environment_references_in_paths_expand_and_unknown_ones_stay() {
        assertThat(WorkDirPaths.expandEnvironment("$ROOT/${SUB}/$NOPE/x", Map.of("ROOT", "/data", "SUB", "in")))
                .isEqualTo("/data/in/$NOPE/x");
    }
}
