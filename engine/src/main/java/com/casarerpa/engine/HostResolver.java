package com.casarerpa.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name into addresses for HttpRequestNode. The engine asks it once per connection
 * and connects to exactly the addresses it checked, so a name that answers differently the
 * second time (DNS rebinding) gains nothing. Tests give their own.
 */
@FunctionalInterface
public interface HostResolver {
    /** The system's resolver (DNS, hosts file). */
    HostResolver SYSTEM = InetAddress::getAllByName;

    /**
     * @param host a name or an IP literal (IPv6 without brackets)
     * @throws UnknownHostException when the name has no address
     */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
