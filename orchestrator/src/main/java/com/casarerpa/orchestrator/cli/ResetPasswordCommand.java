package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.service.PasswordTokens;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reset-password USERNAME}: a one-time token with which the user sets a new password (never a password here). */
@Command(name = "reset-password", mixinStandardHelpOptions = true,
        description = "Print a one-time token with which the user sets a new password (an earlier token stops working).")
final class ResetPasswordCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Parameters(paramLabel = "USERNAME", description = "The user, as list-users shows it.")
    String username;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    ResetPasswordCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    private record Reset(User user, PasswordTokens.OneTimeToken token, String at) {}

    @Override
    public Integer call() {
        Reset r = UserAdministration.withUsers(ctx, config, admin -> {
            User user = admin.users().byUsername(username);
            return new Reset(user, admin.users().resetPassword(user.id(), Actor.localCli()), admin.setPasswordAt());
        });
        if (json) {
            Map<String, Object> out = UserAdministration.json(r.token(), r.at());
            out.put("user_id", r.user().id());
            out.put("username", r.user().username());
            UserAdministration.print(ctx, out);
        } else {
            UserAdministration.printToken(ctx, r.user(), r.token(), r.at());
        }
        return 0;
    }
}
