package com.casarerpa.common.cli;

import com.casarerpa.common.config.ConfigException;
import java.lang.reflect.Constructor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs a picocli command tree the way every {@code casare-rpa} command runs: commands get the
 * {@link CliContext} through their constructor, and every failure becomes one readable line on
 * stderr and a non-zero exit code, never a stack trace.
 *
 * <p>Exit codes: 0 success, 1 the command failed ({@link CommandFailure}, unexpected error),
 * 2 bad usage or configuration (unknown option, {@link ConfigException}).
 */
public final class CommandRunner {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

    private CommandRunner() {}

    public static int run(Class<?> root, CliContext ctx, String... args) {
        CommandLine cmd = commandLine(root, ctx);
        int code = cmd.execute(args);
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    public static CommandLine commandLine(Class<?> root, CliContext ctx) {
        CommandLine cmd = new CommandLine(root, new ContextFactory(ctx));
        cmd.setOut(ctx.out());
        cmd.setErr(ctx.err());
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine bad = ex.getCommandLine();
            ctx.err().println("error: " + ex.getMessage() + " (see '" + bad.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, bad, parseResult) -> {
            if (ex instanceof CommandFailure failure) {
                ctx.err().println("error: " + failure.getMessage());
                log.debug("command failed", failure);
                return failure.exitCode();
            }
            if (ex instanceof ConfigException config) {
                ctx.err().println("error: configuration: " + config.getMessage());
                return EXIT_USAGE;
            }
            log.error("unexpected error in '{}'", bad.getCommandSpec().qualifiedName(), ex);
            ctx.err().println("error: unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                    + " (rerun with --debug for details)");
            return EXIT_FAILURE;
        });
        return cmd;
    }

    /** Creates commands with a {@code (CliContext)} constructor when they have one. */
    private record ContextFactory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(CliContext.class);
                c.setAccessible(true);
                return c.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
