package com.casarerpa.engine.nodes;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The addresses HttpRequestNode refuses unless the robot allows private networks: IPv4
 * "this network" (0/8), private (10/8, 172.16/12, 192.168/16), loopback (127/8), carrier-grade
 * NAT (100.64/10), link-local (169.254/16), IETF protocol assignments (192.0.0/24), benchmarking
 * (198.18/15), multicast, reserved and broadcast (224/3); IPv6 unspecified, loopback, unique
 * local (fc00::/7), link-local (fe80::/10), site-local (fec0::/10), multicast, and local-use
 * NAT64 (64:ff9b:1::/48). An IPv6 address that carries an IPv4 address (IPv4-mapped
 * {@code ::ffff:a.b.c.d}, IPv4-translated {@code ::ffff:0:a.b.c.d}, IPv4-compatible
 * {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo
 * {@code 2001::/32}) is judged by the IPv4 address it reaches.
 */
final class PrivateAddresses {
    private PrivateAddresses() {}

    static boolean isPrivate(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPrivateV4(b);
        }
        byte[] v4 = embeddedV4(b);
        if (v4 != null) {
            return isPrivateV4(v4);
        }
        return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()
                || (b[0] & 0xfe) == 0xfc
                || startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01);
    }

    private static boolean isPrivateV4(byte[] b) {
        int a = b[0] & 0xff;
        int c = b[1] & 0xff;
        return a == 0 || a == 10 || a == 127 || a >= 224
                || a == 100 && (c & 0xc0) == 64
                || a == 169 && c == 254
                || a == 172 && (c & 0xf0) == 16
                || a == 192 && c == 168
                || a == 192 && c == 0 && b[2] == 0
                || a == 198 && (c & 0xfe) == 18;
    }

    /** The IPv4 address inside an IPv6 address of one of the forms that carry one, else null. */
    private static byte[] embeddedV4(byte[] b) {
        if (zeros(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || b[10] == 0 && b[11] == 0)) {
            return last4(b); // IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d (and :: and ::1)
        }
        if (zeros(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
            return last4(b); // IPv4-translated ::ffff:0:a.b.c.d
        }
        if (startsWith(b, 0x00, 0x64, 0xff, 0x9b) && zeros(b, 4, 12)) {
            return last4(b); // NAT64 well-known prefix
        }
        if (startsWith(b, 0x20, 0x02)) {
            return new byte[] {b[2], b[3], b[4], b[5]}; // 6to4
        }
        if (startsWith(b, 0x20, 0x01, 0x00, 0x00)) {
            return new byte[] {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]}; // Teredo: the client, inverted
        }
        return null;
    }

    private static byte[] last4(byte[] b) {
        return new byte[] {b[12], b[13], b[14], b[15]};
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
