package com.casarerpa.orchestrator.config;

import com.casarerpa.common.config.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header a trusted proxy states the client's address in ({@code orchestrator.client_address_header}).
 * Only one is read: a proxy passes the others on as the client sent them, so reading a second
 * one would let any client name its own address.
 */
public enum ClientAddressHeader {
    /** {@code X-Forwarded-For: client, proxy1, …}, each proxy appending the address it saw; the scheme from {@code X-Forwarded-Proto}. */
    X_FORWARDED_FOR("X-Forwarded-For"),
    /** {@code X-Real-IP: client}, set by the one proxy in front (the specification's nginx configuration); the scheme from {@code X-Forwarded-Proto}. */
    X_REAL_IP("X-Real-IP"),
    /** RFC 7239 {@code Forwarded: for=client;proto=https, for=…}; the scheme from its {@code proto}. */
    FORWARDED("Forwarded");

    private final String header;

    ClientAddressHeader(String header) {
        this.header = header;
    }

    public String header() {
        return header;
    }

    static ValueType<ClientAddressHeader> type() {
        Map<String, ClientAddressHeader> words = new LinkedHashMap<>();
        for (ClientAddressHeader h : values()) {
            words.put(h.header, h);
        }
        return ValueType.choice(words);
    }
}
