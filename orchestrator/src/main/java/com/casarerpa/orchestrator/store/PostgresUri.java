package com.casarerpa.orchestrator.store;

import com.casarerpa.common.config.Secret;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Parses the libpq/SQLAlchemy form {@code postgresql://user:password@host:port/database?params}
 * into a {@link DatabaseUrl}. User, password and database are percent-decoded (RFC 3986: a
 * {@code +} stays a plus). Error messages never quote parts of the URL: when the password holds
 * an unencoded {@code /} or {@code @}, any part could be a piece of it.
 */
final class PostgresUri {
    static final int DEFAULT_PORT = 5432;

    /** libpq parameter names that pgjdbc spells differently. */
    private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
            "connect_timeout", "connectTimeout",
            "application_name", "ApplicationName",
            "target_session_attrs", "targetServerType");

    private static final String ENCODE_HINT =
            " (percent-encode special characters of the user name and password, e.g. '@' as %40, '/' as %2F)";

    private PostgresUri() {}

    static DatabaseUrl parse(String url) {
        String scheme = url.substring(0, url.indexOf("://"));
        String rest = url.substring(scheme.length() + 3);
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            throw new InvalidDatabaseUrlException("contains '#', which must be percent-encoded as %23" + ENCODE_HINT);
        }
        int authorityEnd = indexOfAny(rest, "/?");
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        String afterAuthority = authorityEnd < 0 ? "" : rest.substring(authorityEnd);

        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        int at = authority.lastIndexOf('@');
        String hostPart = authority;
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            hostPart = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (!rawUser.isEmpty()) {
                user = Optional.of(decode(rawUser, "the user name"));
            }
            if (colon >= 0) {
                password = Optional.of(new Secret(decode(userInfo.substring(colon + 1), "the password")));
            }
        } else if (afterAuthority.contains("@")) {
            throw new InvalidDatabaseUrlException("cannot tell the password from the host" + ENCODE_HINT);
        }

        List<String> hosts = parseHosts(hostPart);

        String path = afterAuthority;
        String query = "";
        int q = afterAuthority.indexOf('?');
        if (q >= 0) {
            path = afterAuthority.substring(0, q);
            query = afterAuthority.substring(q + 1);
        }
        String database = path.startsWith("/") ? decode(path.substring(1), "the database name") : "";
        if (database.isEmpty()) {
            throw new InvalidDatabaseUrlException("the database name is missing; expected " + scheme
                    + "://user:password@host:5432/DATABASE");
        }
        if (database.contains("/")) {
            throw new InvalidDatabaseUrlException("the database name may not contain '/'" + ENCODE_HINT);
        }

        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), "a query parameter name");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "the value of query parameter " + key);
            switch (key) {
                case "user" -> user = Optional.of(value);
                case "password" -> password = Optional.of(new Secret(value));
                default -> params.put(LIBPQ_TO_PGJDBC.getOrDefault(key, key), value);
            }
        }

        String hostList = String.join(",", hosts);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hostList).append('/')
                .append(encode(database));
        StringBuilder display = new StringBuilder(scheme).append("://");
        user.ifPresent(u -> display.append(encode(u)));
        if (password.isPresent()) {
            display.append(":****");
        }
        if (user.isPresent() || password.isPresent()) {
            display.append('@');
        }
        display.append(hostList).append('/').append(encode(database));
        if (!params.isEmpty()) {
            StringJoiner joined = new StringJoiner("&", "?", "");
            params.forEach((k, v) -> joined.add(encode(k) + "=" + encode(v)));
            jdbc.append(joined);
            display.append(joined);
        }
        return new DatabaseUrl(Dialect.POSTGRESQL, jdbc.toString(), user, password, display.toString(), hostList,
                Optional.of(database), Optional.empty());
    }

    /** {@code host}, {@code host:port}, {@code [::1]:port}, comma-separated; port 5432 added when absent. */
    private static List<String> parseHosts(String hostPart) {
        if (hostPart.isEmpty()) {
            throw new InvalidDatabaseUrlException("the host is missing; expected postgresql://user:password@HOST:5432/database"
                    + " (Unix-domain sockets are not supported)");
        }
        List<String> hosts = new ArrayList<>();
        for (String entry : hostPart.split(",", -1)) {
            String host;
            String port = null;
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    throw new InvalidDatabaseUrlException("an IPv6 host is missing its closing ']'" + ENCODE_HINT);
                }
                host = entry.substring(0, close + 1);
                String tail = entry.substring(close + 1);
                if (!tail.isEmpty()) {
                    if (!tail.startsWith(":")) {
                        throw new InvalidDatabaseUrlException("unexpected text after an IPv6 host" + ENCODE_HINT);
                    }
                    port = tail.substring(1);
                }
            } else {
                int colon = entry.lastIndexOf(':');
                host = colon < 0 ? entry : entry.substring(0, colon);
                port = colon < 0 ? null : entry.substring(colon + 1);
            }
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._\\-\\[\\]:%]+")) {
                throw new InvalidDatabaseUrlException("the host is missing or not a valid host name" + ENCODE_HINT);
            }
            int portNumber = DEFAULT_PORT;
            if (port != null) {
                try {
                    portNumber = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    portNumber = -1;
                }
                if (portNumber < 1 || portNumber > 65535) {
                    throw new InvalidDatabaseUrlException("the port must be a number from 1 to 65535" + ENCODE_HINT);
                }
            }
            hosts.add(host + ":" + portNumber);
        }
        return hosts;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 3986 percent-decoding as UTF-8; unlike URLDecoder a '+' stays a '+'. */
    static String decode(String s, String what) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            int percent = s.indexOf('%', i);
            int end = percent < 0 ? s.length() : percent;
            bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            int hi = percent + 1 < s.length() ? Character.digit(s.charAt(percent + 1), 16) : -1;
            int lo = percent + 2 < s.length() ? Character.digit(s.charAt(percent + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new InvalidDatabaseUrlException("invalid percent-encoding in " + what
                        + " ('%' must be followed by two hex digits; write '%' itself as %25)");
            }
            bytes.write(hi * 16 + lo);
            i = percent + 3;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Encoding for URL parts; pgjdbc decodes parameter values with URLDecoder. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
