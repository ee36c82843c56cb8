package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.TextTable;
import com.casarerpa.orchestrator.domain.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list-users}: every user, never a password. */
@Command(name = "list-users", mixinStandardHelpOptions = true, description = "List users.")
final class ListUsersCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    ListUsersCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<User> users = UserAdministration.withUsers(ctx, config, admin -> admin.users().list());
        if (json) {
            UserAdministration.print(ctx, Map.of("items", users.stream().map(UserAdministration::json).toList()));
            return 0;
        }
        if (users.isEmpty()) {
            ctx.out().println("No users. Create the first admin with: casare-rpa orchestrator create-user NAME --admin");
            return 0;
        }
        Instant now = Instant.now();
        TextTable table = new TextTable("USERNAME", "ID", "NAME", "EMAIL", "STATUS", "LAST SIGN-IN", "CREATED");
        for (User u : users) {
            String status = u.status().wireName() + u.lockedUntil().filter(t -> t.isAfter(now)).map(t -> " (locked until " + t + ")")
                    .orElse("");
            table.row(u.username(), u.id(), u.displayName(), u.email().orElse(""), status,
                    u.lastLoginAt().map(Instant::toString).orElse("never"), u.createdAt().toString());
        }
        table.print(ctx.out());
        return 0;
    }
}
