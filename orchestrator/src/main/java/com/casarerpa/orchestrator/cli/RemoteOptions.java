package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.common.http.ApiClient;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --url} and {@code --api-key} of the commands that can work against a running server
 * ({@code CASARE_SERVER_URL} and {@code CASARE_API_KEY} when the flags are absent). Without a URL
 * these commands work on the configured database directly.
 *
 * <p>Not {@code CASARE_API_URL}: the specification gives that variable to the server, as its
 * public URL ({@code orchestrator.api_url}), so it is set wherever a server runs, and reading it
 * here would send every command on that machine to the server, without a key.
 */
public final class RemoteOptions {
    static final String SERVER_URL_VARIABLE = "CASARE_SERVER_URL";

    @Option(names = "--url", paramLabel = "URL",
            description = "Talk to the orchestrator at URL instead of opening the database (default: "
                    + SERVER_URL_VARIABLE + "; not CASARE_API_URL, which is the server's own public URL).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY", description = "API key sent as X-API-Key (default: CASARE_API_KEY).")
    String apiKey;

    /** A client when a URL was given; empty means "use the database". */
    Optional<ApiClient> client(CliContext ctx) {
        Optional<String> target = Optional.ofNullable(url).or(() -> Optional.ofNullable(ctx.env().get(SERVER_URL_VARIABLE)))
                .filter(u -> !u.isBlank());
        if (target.isEmpty()) {
            if (apiKey != null) {
                throw new CommandFailure("--api-key needs --url (or " + SERVER_URL_VARIABLE + "); without a URL the command"
                        + " uses the database directly", CommandRunner.EXIT_USAGE, null);
            }
            return Optional.empty();
        }
        Optional<String> key = Optional.ofNullable(apiKey).or(() -> Optional.ofNullable(ctx.env().get("CASARE_API_KEY")));
        try {
            return Optional.of(ApiClient.of(target.get(), key));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage(), CommandRunner.EXIT_USAGE, e);
        }
    }
}
