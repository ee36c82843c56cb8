package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.User;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code disable-user} and {@code enable-user}: one user's status, by username. */
final class UserStatusCommands {
    private UserStatusCommands() {}

    /** What both commands take and print. */
    abstract static class Base implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        ConfigOptions config;

        @Parameters(paramLabel = "USERNAME", description = "The user, as list-users shows it.")
        String username;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        Base(CliContext ctx) {
            this.ctx = ctx;
        }

        abstract BiFunction<String, Actor, User> change(com.casarerpa.orchestrator.service.Users users);

        abstract String done();

        @Override
        public Integer call() {
            User user = UserAdministration.withUsers(ctx, config, admin ->
                    change(admin.users()).apply(admin.users().byUsername(username).id(), Actor.localCli()));
            if (json) {
                UserAdministration.print(ctx, UserAdministration.json(user));
            } else {
                ctx.out().println("User " + user.username() + " (" + user.id() + ") " + done() + ".");
            }
            return 0;
        }
    }

    @Command(name = "disable-user", mixinStandardHelpOptions = true,
            description = "Disable a user: it can no longer sign in, and all its sessions end at once.")
    static final class Disable extends Base {
        Disable(CliContext ctx) {
            super(ctx);
        }

        @Override
        BiFunction<String, Actor, User> change(com.casarerpa.orchestrator.service.Users users) {
            return users::disable;
        }

        @Override
        String done() {
            return "is disabled; its sessions have ended";
        }
    }

    @Command(name = "enable-user", mixinStandardHelpOptions = true, description = "Enable a disabled user again.")
    static final class Enable extends Base {
        Enable(CliContext ctx) {
            super(ctx);
        }

        @Override
        BiFunction<String, Actor, User> change(com.casarerpa.orchestrator.service.Users users) {
            return users::enable;
        }

        @Override
        String done() {
            return "is enabled";
        }
    }
}
