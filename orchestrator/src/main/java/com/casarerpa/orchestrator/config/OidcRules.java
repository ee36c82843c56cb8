package com.casarerpa.orchestrator.config;

import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.config.ValueType;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The rules of the {@code oidc.*} keys beyond their types: scopes are OAuth scope tokens with
 * {@code openid} among them; the issuer is a URL without query or fragment (OpenID Connect
 * Discovery); and with PostgreSQL (production), as for {@code orchestrator.secret_key}, nothing
 * weak is accepted: the client authenticates with a secret, and the issuer is reached over
 * HTTPS unless it is on this machine.
 */
final class OidcRules {
    private OidcRules() {}

    /** Scopes separated by spaces or commas (RFC 6749 scope tokens), duplicates dropped; {@code openid} required. */
    static ValueType<List<String>> scopesType() {
        return ValueType.of("OAuth scopes separated by spaces or commas, openid among them", text -> {
            List<String> scopes = List.copyOf(new LinkedHashSet<>(Arrays.stream(text.strip().split("[\\s,]+"))
                    .filter(s -> !s.isEmpty()).toList()));
            for (String scope : scopes) {
                if (!scope.chars().allMatch(ch -> ch == 0x21 || (ch >= 0x23 && ch <= 0x5B) || (ch >= 0x5D && ch <= 0x7E))) {
                    throw new IllegalArgumentException("not a scope token: " + scope);
                }
            }
            if (!scopes.contains("openid")) {
                throw new IllegalArgumentException("openid missing");
            }
            return scopes;
        }, scopes -> String.join(" ", scopes));
    }

    static void requireSafeForProduction(OrchestratorSettings.Oidc oidc, boolean production) {
        URI issuer = oidc.issuer();
        if (issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
            throw new ConfigException("oidc.issuer: an issuer URL has no query or fragment, got " + issuer
                    + "; use the provider's issuer exactly as its discovery document names it");
        }
        if (!production) {
            return;
        }
        if (oidc.clientSecret().isEmpty()) {
            throw new ConfigException("oidc.client_secret is not set; with PostgreSQL (production) the orchestrator"
                    + " signs users in as a confidential client: register it at the provider with a client secret and set"
                    + " CASARE_OIDC_CLIENT_SECRET (or oidc.client_secret: ${CASARE_OIDC_CLIENT_SECRET} in the file)");
        }
        if (!issuer.getScheme().toLowerCase(Locale.ROOT).equals("https") && !loopback(issuer.getHost())) {
            throw new ConfigException("oidc.issuer: must be an https:// URL with PostgreSQL (production), got " + issuer
                    + "; only a provider on this machine (localhost, 127.0.0.1, ::1) may be reached over http");
        }
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return false; // a name other than localhost is never looked up here
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
