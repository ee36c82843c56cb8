package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.service.NotFoundException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code revoke-api-key ID}: the key, and every token issued for it, stop working at once. */
@Command(name = "revoke-api-key", mixinStandardHelpOptions = true,
        description = "Revoke an API key; it and its tokens stop working on every instance at once.")
final class RevokeApiKeyCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Parameters(paramLabel = "ID", description = "The key's id (key_…), as list-api-keys shows it.")
    String id;

    RevokeApiKeyCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiKey key = KeyAdministration.withKeys(ctx, config, keys -> {
            try {
                return keys.revoke(id, Actor.localCli());
            } catch (NotFoundException e) {
                throw new CommandFailure(e.getMessage() + " (see list-api-keys --all)", e);
            }
        });
        ctx.out().println("Revoked API key \"" + key.name() + "\" (" + key.id() + ") at " + key.revokedAt().orElseThrow() + ".");
        return 0;
    }
}
