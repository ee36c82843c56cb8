package com.casarerpa.orchestrator.config;

import com.casarerpa.common.config.ValueType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A client network in CIDR notation: {@code 10.0.0.0/8}, {@code ::1/128}; a bare address is
 * that address alone ({@code /32}, {@code /128}). Only literal addresses: a name is refused,
 * never looked up. Host bits of the network are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
 *
 * @param text    as written, for display
 * @param network the network's address (its family decides which clients it can contain)
 * @param prefix  how many leading bits a client's address shares with it
 */
public record NetworkRange(String text, InetAddress network, int prefix) {
    /** The word for an empty list (an empty value counts as unset, so it cannot say "none"). */
    public static final String NONE = "none";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** Where an IPv4 address sits in an IPv4-mapped IPv6 one ({@code ::ffff:10.0.0.0/104}). */
    private static final int MAPPED_PREFIX = 96;

    /** @throws IllegalArgumentException when {@code text} is not an address with an optional {@code /prefix} */
    public static NetworkRange parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address); // a literal (checked above): no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
        int bits = parsed.getAddress().length * 8;
        boolean mapped = parsed instanceof Inet4Address && address.contains(":");
        int prefix = slash < 0 ? bits : prefix(t.substring(slash + 1)) - (mapped ? MAPPED_PREFIX : 0);
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix out of range: " + t);
        }
        return new NetworkRange(t, parsed, prefix);
    }

    private static int prefix(String text) {
        if (!text.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("not a prefix length: " + text);
        }
        return Integer.parseInt(text);
    }

    /** True when {@code client} is in this network (an IPv4 client is never in an IPv6 network, nor the reverse). */
    public boolean contains(InetAddress client) {
        byte[] a = network.getAddress();
        byte[] b = client.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit += 8) {
            int mask = prefix - bit >= 8 ? 0xff : (0xff << (8 - (prefix - bit))) & 0xff;
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** True when any of {@code networks} contains {@code client}. */
    public static boolean anyContains(List<NetworkRange> networks, InetAddress client) {
        return networks.stream().anyMatch(n -> n.contains(client));
    }

    /** Comma-separated networks, or {@value #NONE} for none; repeats are dropped. */
    static ValueType<List<NetworkRange>> listType() {
        return ValueType.of("comma-separated networks in CIDR notation (10.0.0.0/8, ::1/128), or " + NONE, text -> {
            if (text.strip().toLowerCase(Locale.ROOT).equals(NONE)) {
                return List.of();
            }
            List<String> items = Arrays.stream(text.split(",")).map(String::strip).toList();
            if (items.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("an empty item");
            }
            return items.stream().distinct().map(NetworkRange::parse).toList();
        }, list -> list.isEmpty() ? NONE : String.join(", ", list.stream().map(NetworkRange::text).toList()));
    }

    @Override
    public String toString() {
        return text;
    }
}
