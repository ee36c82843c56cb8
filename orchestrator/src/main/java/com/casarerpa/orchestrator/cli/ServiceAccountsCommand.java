package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.common.cli.TextTable;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.ServiceAccount;
import com.casarerpa.orchestrator.service.AccessViews;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.ServiceAccounts;
import com.casarerpa.protocol.rest.ApiKeyBodies;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code service-accounts create|list|key}: callers that are not people, on the configured
 * database. Bind an account with {@code folders bind FOLDER --service-account NAME --role ROLE}.
 */
@Command(name = "service-accounts", mixinStandardHelpOptions = true, description = "Create and list service accounts; make their keys.",
        subcommands = {ServiceAccountsCommand.Create.class, ServiceAccountsCommand.ListAccounts.class, ServiceAccountsCommand.Key.class})
final class ServiceAccountsCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a service account (it holds nothing until bound).")
    static final class Create extends AccessCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "A name people recognise, e.g. \"CI deploys\".")
        String name;

        @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
        String description;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ServiceAccounts.Detail d = KeyAdministration.withAccess(ctx, config, a -> a.serviceAccounts().create(name,
                    description == null ? "" : description, actor));
            if (json) {
                JsonOutput.print(ctx.out(), AccessViews.account(d, Instant.now()));
            } else {
                ctx.out().println("Created service account \"" + d.account().name() + "\" (" + d.account().id() + "). Bind it with:"
                        + " casare-rpa orchestrator folders bind FOLDER --service-account " + d.account().id() + " --role ROLE");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List service accounts.")
    static final class ListAccounts extends AccessCommand {
        @Option(names = "--all", description = "Include disabled accounts.")
        boolean all;

        ListAccounts(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            List<ServiceAccount> accounts = KeyAdministration.withAccess(ctx, config, a -> a.serviceAccounts().list(all));
            if (json) {
                JsonOutput.print(ctx.out(), Map.of("items", accounts.stream().map(AccessViews::account).toList()));
                return 0;
            }
            TextTable table = new TextTable("ID", "NAME", "STATUS", "CREATED", "DESCRIPTION");
            accounts.forEach(a -> table.row(a.id(), a.name(), a.disabled() ? "disabled" : "active", a.createdAt().toString(),
                    a.description()));
            table.print(ctx.out());
            return 0;
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true, description = "Create a key of a service account and print it (once).")
    static final class Key extends AccessCommand {
        @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account's id, or a name no other account has.")
        String account;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The key's name.")
        String name;

        @Option(names = "--expires", paramLabel = "WHEN", description = "As create-api-key --expires. Default: never.")
        String expires;

        Key(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Optional<Instant> expiry = Optional.ofNullable(expires).map(CreateApiKeyCommand::parseExpiry);
            ApiKeys.IssuedKey issued = KeyAdministration.withAccess(ctx, config, a -> a.serviceAccounts().issueKey(account, name,
                    expiry, actor));
            ApiKey k = issued.key();
            if (json) {
                JsonOutput.print(ctx.out(), new ApiKeyBodies.CreatedApiKey(k.id(), k.name(), k.role().wireName(), issued.plaintext(),
                        null, k.createdAt(), k.expiresAt().orElse(null), List.of()));
                return 0;
            }
            ctx.out().println("Created key \"" + k.name() + "\" (" + k.id() + ") of service account " + k.owner().id().orElseThrow()
                    + "; it acts with the account's bindings. It is shown only this once; store it now:");
            ctx.out().println();
            ctx.out().println("    " + issued.plaintext());
            ctx.out().println();
            return 0;
        }
    }
}
