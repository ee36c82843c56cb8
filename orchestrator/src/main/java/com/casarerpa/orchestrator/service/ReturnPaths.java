package com.casarerpa.orchestrator.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where a browser may be sent after signing in: a path of this server only. Anything that a
 * browser could read as another site ({@code https://evil}, {@code //evil}, {@code /\evil}, a
 * scheme, control characters) is refused, so the sign-in cannot be used as an open redirect.
 */
final class ReturnPaths {
    static final String HOME = "/";
    private static final int MAX = 1000;

    private ReturnPaths() {}

    /**
     * @return {@code returnTo}, or {@link #HOME} when absent
     * @throws InvalidInputException naming {@code return_to} when it is not a local path
     */
    static String check(Optional<String> returnTo) {
        if (returnTo.isEmpty() || returnTo.get().isEmpty()) {
            return HOME;
        }
        String path = returnTo.get();
        if (path.length() > MAX || !path.startsWith("/") || path.startsWith("//") || path.contains("\\")
                || path.chars().anyMatch(c -> c < 0x21 || c == 0x7F)) {
            throw refused(path);
        }
        try {
            URI uri = new URI(path);
            if (uri.getScheme() != null || uri.getRawAuthority() != null) {
                throw refused(path);
            }
        } catch (URISyntaxException e) {
            throw refused(path);
        }
        return path;
    }

    private static InvalidInputException refused(String path) {
        return new InvalidInputException("return_to", "must be a path on this server starting with a single / (such as"
                + " /dashboard/jobs), got \"" + (path.length() > 100 ? path.substring(0, 100) + "…" : path) + "\"");
    }
}
