package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.common.http.ApiClient;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --url} and {@code --api-key} of the commands that can work against a running server
 * ({@code CASARE_API_URL} and {@code CASARE_API_KEY} when the flags are absent). Without a URL
 * these commands work on the configured database directly.
 */
public final class RemoteOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "Talk to the orchestrator at URL (default: CASARE_API_URL) instead of opening the database.")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY", description = "API key sent as X-API-Key (default: CASARE_API_KEY).")
    String apiKey;

    /** A client when a URL was given; empty means "use the database". */
    Optional<ApiClient> client(CliContext ctx) {
        Optional<String> target = Optional.ofNullable(url).or(() -> Optional.ofNullable(ctx.env().get("CASARE_API_URL")))
                .filter(u -> !u.isBlank());
        if (target.isEmpty()) {
            if (apiKey != null) {
                throw new CommandFailure("--api-key needs --url (or CASARE_API_URL); without a URL the command uses the"
                        + " database directly", CommandRunner.EXIT_USAGE, null);
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
