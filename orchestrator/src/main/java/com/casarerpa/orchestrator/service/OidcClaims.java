package com.casarerpa.orchestrator.service;

import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a verified ID token's claims into an {@link OidcIdentity}: the standard ones, the
 * configured username claim, and the configured groups claim, which may be a list of strings or
 * one string. A claim name is looked up as it is first (Auth0 names claims by URL, dots and all);
 * only when no such claim exists is a dotted name followed into nested objects
 * ({@code realm_access.roles} of Keycloak).
 */
final class OidcClaims {
    private final String groupsClaim;
    private final String usernameClaim;

    OidcClaims(String groupsClaim, String usernameClaim) {
        this.groupsClaim = groupsClaim;
        this.usernameClaim = usernameClaim;
    }

    OidcIdentity identityOf(IDTokenClaimsSet claims) {
        Map<String, Object> all = claims.toJSONObject();
        return new OidcIdentity(claims.getIssuer().getValue(), claims.getSubject().getValue(), text(all, "email"),
                Boolean.TRUE.equals(all.get("email_verified")) || "true".equals(all.get("email_verified")), text(all, "name"),
                text(all, usernameClaim), strings(find(all, groupsClaim)));
    }

    private static Optional<String> text(Map<String, Object> claims, String name) {
        return find(claims, name).filter(String.class::isInstance).map(String.class::cast).map(String::strip)
                .filter(s -> !s.isEmpty());
    }

    private static List<String> strings(Optional<Object> value) {
        List<String> out = new ArrayList<>();
        value.ifPresent(v -> {
            if (v instanceof Collection<?> c) {
                c.stream().filter(String.class::isInstance).map(String.class::cast).forEach(out::add);
            } else if (v instanceof String s) {
                out.add(s);
            }
        });
        return out.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static Optional<Object> find(Map<String, Object> claims, String name) {
        if (claims.containsKey(name) || !name.contains(".")) {
            return Optional.ofNullable(claims.get(name));
        }
        Object at = claims;
        for (String part : name.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            at = map.get(part);
        }
        return Optional.ofNullable(at);
    }
}
