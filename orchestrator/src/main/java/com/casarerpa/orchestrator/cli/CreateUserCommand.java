package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.service.Users;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code create-user USERNAME}: a person's account, with a password from standard input or a one-time token. */
@Command(name = "create-user", mixinStandardHelpOptions = true,
        description = "Create a user. Without --password-stdin, print a one-time token with which the user sets a password.")
final class CreateUserCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Parameters(paramLabel = "USERNAME", description = "The sign-in name (stored lower-case): a-z, 0-9, '.', '_', '@', '-'.")
    String username;

    @Option(names = "--email", paramLabel = "ADDRESS", description = "The user's email address.")
    String email;

    @Option(names = "--display-name", paramLabel = "NAME", description = "The name people see (default: the username).")
    String displayName;

    @Option(names = "--admin", description = "Make the user an administrator (the admin role at the root folder).")
    boolean admin;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    CreateUserCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Optional<String> password = passwordStdin ? Optional.of(UserAdministration.passwordFromStdin(ctx)) : Optional.empty();
        UserAdministration.withUsers(ctx, config, admin -> {
            Users.Created created = admin.users().create(username, UserAdministration.nonBlank(email),
                    UserAdministration.nonBlank(displayName), this.admin, password, Actor.localCli());
            show(created, admin.setPasswordAt());
            return null;
        });
        return 0;
    }

    private void show(Users.Created created, String setPasswordAt) {
        User u = created.user();
        if (json) {
            Map<String, Object> out = UserAdministration.json(u);
            out.put("admin", admin);
            out.put("set_password", created.setPassword().map(t -> UserAdministration.json(t, setPasswordAt)).orElse(null));
            UserAdministration.print(ctx, out);
            return;
        }
        ctx.out().println("Created user " + u.username() + " (" + u.id() + (admin ? ", admin" : "") + ").");
        created.setPassword().ifPresentOrElse(t -> UserAdministration.printToken(ctx, u, t, setPasswordAt),
                () -> ctx.out().println("The user signs in with the password given: POST /api/v1/auth/login."));
    }
}
