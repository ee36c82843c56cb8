package com.casarerpa.orchestrator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The quick start's admin key, shown once to the person who ran {@code start}: on stderr, so that
 * stdout stays one JSON object per line with {@code logging.format: json}, and never through the
 * logger, so it does not land in {@code logging.path} or a daemon's log file.
 */
final class FirstKeyNotice {
    private FirstKeyNotice() {}

    /**
     * @param file    where the server also wrote it, if it could
     * @param address the server's base URL
     */
    static void print(PrintWriter err, String key, Optional<Path> file, String address) {
        err.println();
        err.println("  First start: created an admin API key. It is shown only this once; store it now:");
        err.println();
        err.println("      " + key);
        err.println();
        file.ifPresent(f -> {
            err.println("  It is also in " + f + " (readable only by this account); delete that file once the key is stored.");
            err.println();
        });
        err.println("  Open the dashboard at " + address + "/ and sign in with this key (\"Sign in with an API key instead\").");
        err.println();
        err.println("  Try: curl -H \"Authorization: Bearer " + key + "\" " + address + "/api/v1/api-keys");
        err.println();
        err.println("  To sign in as a person, make the first admin user (it asks for no password on the command line):");
        err.println("      ./casare-rpa orchestrator create-user YOUR_NAME --admin");
        err.println();
        err.flush();
    }
}
