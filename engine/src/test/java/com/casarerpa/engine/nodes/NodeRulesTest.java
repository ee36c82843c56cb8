package com.casarerpa.engine.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.engine.node.NodeFailure;
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
            "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "::ffff:127.0.0.1"})
    void private_loopback_and_link_local_addresses_are_refused(String address) throws Exception {
        assertThat(NetworkGuard.isPrivate(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888"})
    void public_addresses_pass(String address) throws Exception {
        assertThat(NetworkGuard.isPrivate(InetAddress.getByName(address))).isFalse();
    }

    @Test
    void a_literal_private_host_is_refused_before_any_connection() {
        assertThatThrownBy(() -> NetworkGuard.check(URI.create("http://[::1]:8080/x"), false))
                .isInstanceOf(NodeFailure.class).hasMessageContaining("SSRF protection blocked request to http://[::1]:8080/x");
        assertThatThrownBy(() -> NetworkGuard.check(URI.create("ftp://example.com/x"), true))
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
    void an_unbalanced_quote_and_blocked_programs_are_refused() {
        assertThatThrownBy(() -> CommandLine.words("echo 'oops")).hasMessageContaining("unbalanced quote");
        assertThatThrownBy(() -> CommandLine.checkAllowed("C:\\Windows\\System32\\shutdown.exe /s", false)).hasMessageContaining("'shutdown'");
        assertThatThrownBy(() -> CommandLine.checkAllowed("/usr/bin/curl http://x", false)).hasMessageContaining("'curl'");
        CommandLine.checkAllowed("git status", false);
        CommandLine.checkAllowed("echo a; echo b", false);
    }

    @Test
    void environment_references_in_paths_expand_and_unknown_ones_stay() {
        assertThat(WorkDirPaths.expandEnvironment("$ROOT/${SUB}/$NOPE/x", Map.of("ROOT", "/data", "SUB", "in")))
                .isEqualTo("/data/in/$NOPE/x");
    }
}
