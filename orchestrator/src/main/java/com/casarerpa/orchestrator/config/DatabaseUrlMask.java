package com.casarerpa.orchestrator.config;

import java.util.regex.Pattern;

/**
 * What {@code casare-rpa orchestrator config} may show of a database URL: everything but the
 * password. Covers the password of the user-info part ({@code postgresql://user:pass@host/db},
 * also after {@code jdbc:}) and password parameters ({@code ?password=…}, {@code &sslpassword=…},
 * H2's {@code ;PASSWORD=…}). When in doubt it masks more, never less. Only for display: the store
 * parses URLs for real.
 */
final class DatabaseUrlMask {
    private static final String MASK = "****";
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;][a-z_]*password=)[^&;#]*");

    private DatabaseUrlMask() {}

    static String mask(String url) {
        return PASSWORD_PARAMETER.matcher(maskUserInfo(url)).replaceAll("$1" + MASK);
    }

    /**
     * The user info ends at the last {@code @} before the query: a password may contain an
     * unescaped {@code /} or {@code @}, and showing too little is better than showing a password.
     */
    private static String maskUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int query = url.indexOf('?', start);
        int at = url.lastIndexOf('@', query < 0 ? url.length() : query);
        if (at < start) {
            return url;
        }
        int colon = url.indexOf(':', start);
        if (colon < 0 || colon > at) {
            return url;
        }
        return url.substring(0, colon + 1) + MASK + url.substring(at);
    }
}
