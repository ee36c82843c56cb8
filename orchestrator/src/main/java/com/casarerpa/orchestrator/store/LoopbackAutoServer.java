package com.casarerpa.orchestrator.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.h2.engine.SysProperties;

/**
 * Keeps H2's AUTO_SERVER, the TCP server through which CLI commands reach an embedded database a
 * running server holds, on the loopback interface. H2 binds it to the system property
 * {@code h2.bindAddress} (all interfaces when unset), which it reads once, when its
 * {@code SysProperties} class loads: so the property is set before this process's first H2
 * connection, and what H2 actually took is checked.
 */
final class LoopbackAutoServer {
    static final String PROPERTY = "h2.bindAddress";
    static final String LOOPBACK = "127.0.0.1";

    private LoopbackAutoServer() {}

    /** Before any H2 connection: asks H2 to bind its servers to loopback (unless already told otherwise). */
    static void request() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, LOOPBACK);
        }
    }

    /**
     * Before opening the embedded database: makes sure its AUTO_SERVER will listen on loopback only.
     *
     * @throws InsecureEmbeddedDatabaseException when H2 already took another address
     */
    static void require() {
        request();
        String bound = SysProperties.BIND_ADDRESS;
        if (bound == null || !isLoopback(bound)) {
            throw new InsecureEmbeddedDatabaseException("the embedded database would be served to other processes on "
                    + (bound == null ? "every network interface" : bound) + " (Java system property " + PROPERTY
                    + (bound == null ? " read by H2 before it was set" : "") + "); run without -D" + PROPERTY
                    + " or with -D" + PROPERTY + "=" + LOOPBACK);
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
