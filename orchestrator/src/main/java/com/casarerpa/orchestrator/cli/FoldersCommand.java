package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.common.cli.TextTable;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.service.AccessViews;
import com.casarerpa.orchestrator.service.Bindings;
import com.casarerpa.orchestrator.service.Folders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code folders create|list|bind|unbind}: the folder tree and its bindings, on the configured
 * database, as the local administrator (docs/access.md). A folder is named by its id or its path
 * ({@code Default/Finance}).
 */
@Command(name = "folders", mixinStandardHelpOptions = true, description = "Create and list folders; bind and unbind roles in them.",
        subcommands = {FoldersCommand.Create.class, FoldersCommand.ListFolders.class, FoldersCommand.Bind.class,
            FoldersCommand.Unbind.class})
final class FoldersCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a folder: its path, the parent existing (Default/Finance/AP).")
    static final class Create extends AccessCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "The new folder's path; a name alone is made below the root.")
        String path;

        @Option(names = "--description", paramLabel = "TEXT", description = "What the folder holds.")
        String description;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            int slash = path.strip().lastIndexOf('/');
            Optional<String> parent = slash < 0 ? Optional.empty() : Optional.of(path.strip().substring(0, slash));
            String name = path.strip().substring(slash + 1);
            Folders.Shown f = KeyAdministration.withAccess(ctx, config, a -> a.folders().create(name, parent,
                    description == null ? "" : description, actor));
            if (json) {
                JsonOutput.print(ctx.out(), AccessViews.folder(f));
            } else {
                ctx.out().println("Created folder " + f.path() + " (" + f.folder().id() + ").");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the folders by path.")
    static final class ListFolders extends AccessCommand {
        ListFolders(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            List<Folders.Shown> folders = KeyAdministration.withAccess(ctx, config, a -> a.folders().list(actor));
            if (json) {
                JsonOutput.print(ctx.out(), Map.of("items", folders.stream().map(AccessViews::folder).toList()));
                return 0;
            }
            TextTable table = new TextTable("ID", "PATH", "DESCRIPTION");
            folders.forEach(f -> table.row(f.folder().id(), f.path(), f.folder().description()));
            table.print(ctx.out());
            return 0;
        }
    }

    /** Exactly one principal: a user, a group or a service account, by id or name. */
    static final class Who {
        @Option(names = "--user", paramLabel = "USER", description = "A user's id or username.")
        String user;

        @Option(names = "--group", paramLabel = "GROUP", description = "A group's id or name.")
        String group;

        @Option(names = "--service-account", paramLabel = "ACCOUNT", description = "A service account's id or name.")
        String serviceAccount;

        String kind() {
            return user != null ? Principal.USER : group != null ? Principal.GROUP : Principal.SERVICE_ACCOUNT;
        }

        String ref() {
            return user != null ? user : group != null ? group : serviceAccount;
        }
    }

    @Command(name = "bind", mixinStandardHelpOptions = true, description = "Give a user, group or service account a role in a folder and below.")
    static final class Bind extends AccessCommand {
        @Parameters(index = "0", paramLabel = "FOLDER", description = "The folder's id or path.")
        String folder;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Who who;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin (root only), folder_admin, developer, operator, viewer, robot, or a custom role.")
        String role;

        Bind(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Bindings.Shown b = KeyAdministration.withAccess(ctx, config, a -> a.bindings().grant(folder, who.kind(), who.ref(), role, actor));
            if (json) {
                JsonOutput.print(ctx.out(), AccessViews.binding(b));
            } else {
                ctx.out().println("Bound " + b.binding().principal().kind().replace('_', ' ') + " " + b.binding().principalName() + " to role "
                        + b.binding().roleName() + " in " + b.folderPath() + " (binding " + b.binding().id() + ").");
            }
            return 0;
        }
    }

    @Command(name = "unbind", mixinStandardHelpOptions = true,
            description = "Take a role back: by the binding's id, or by --user/--group/--service-account and --role.")
    static final class Unbind extends AccessCommand {
        @Parameters(index = "0", paramLabel = "FOLDER", description = "The folder the binding was made in (id or path).")
        String folder;

        @Parameters(index = "1", arity = "0..1", paramLabel = "BINDING_ID", description = "The binding (rb_…), as folders bind printed it.")
        String bindingId;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Who who;

        @Option(names = "--role", paramLabel = "ROLE", description = "With a principal instead of BINDING_ID: the role to take back.")
        String role;

        Unbind(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if ((bindingId == null) == (who == null || role == null)) {
                throw new CommandFailure("give BINDING_ID, or --user/--group/--service-account with --role"
                        + " (one of the two)", CommandRunner.EXIT_USAGE, null);
            }
            String id = KeyAdministration.withAccess(ctx, config, a -> {
                String found = bindingId != null ? bindingId : a.bindings().find(folder, who.kind(), who.ref(), role, actor);
                a.bindings().revoke(folder, found, actor);
                return found;
            });
            if (json) {
                JsonOutput.print(ctx.out(), Map.of("deleted", id));
            } else {
                ctx.out().println("Took back binding " + id + " in " + folder + ".");
            }
            return 0;
        }
    }
}
