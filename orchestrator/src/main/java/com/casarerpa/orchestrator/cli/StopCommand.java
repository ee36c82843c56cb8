package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stop}: SIGTERM to the instance of a pid file, then waits while it drains (robots told
 * to reconnect elsewhere, requests in flight finished, reports committed) and removes the pid file.
 * Exit codes: 0 stopped, or was not running; 1 still running after {@code --timeout}; 4 not
 * allowed to signal it (another user's process).
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop the orchestrator of this pid file: SIGTERM, then wait while it drains; removes the pid file.",
            "Exit code: 0 stopped or was not running, 1 still running after --timeout, 4 not allowed to signal it."})
final class StopCommand implements Callable<Integer> {
    static final int STILL_RUNNING = 1;
    static final int NOT_PERMITTED = 4;

    private final CliContext ctx;

    @Mixin
    PidFileOptions which;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the drain (default ${DEFAULT-VALUE}); the instance keeps draining after it.")
    int timeoutSeconds;

    StopCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (timeoutSeconds < 0) {
            throw new CommandFailure("--timeout: must be 0 or more seconds, got " + timeoutSeconds, 2, null);
        }
        PidFile pidFile = which.resolve(ctx);
        Optional<ProcessHandle> live = pidFile.liveProcess();
        if (live.isEmpty()) {
            if (pidFile.exists()) {
                Optional<Long> pid = pidFile.pid();
                pidFile.remove();
                ctx.out().println("not running: removed the stale pid file " + pidFile.path()
                        + pid.map(p -> " (pid " + p + " is gone)").orElse(""));
            } else {
                ctx.out().println("not running (no pid file at " + pidFile.path() + ")");
            }
            return 0;
        }
        ProcessHandle process = live.get();
        long began = System.nanoTime();
        if (!process.destroy()) {
            throw new CommandFailure("cannot signal pid " + process.pid() + " (another user's process?); run stop as that user",
                    NOT_PERMITTED, null);
        }
        ctx.out().println("sent SIGTERM to the orchestrator (pid " + process.pid() + "); waiting up to " + timeoutSeconds
                + " s while it drains (robots reconnect elsewhere, requests in flight finish)");
        ctx.out().flush();
        try {
            process.onExit().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new CommandFailure("pid " + process.pid() + " is still running after " + timeoutSeconds + " s and keeps draining;"
                    + " run stop again to wait longer, or 'kill -9 " + process.pid() + "' to end it at once (the jobs its robots"
                    + " hold are re-queued when their leases expire)", STILL_RUNNING, null);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        pidFile.removeIfNaming(process.pid());
        ctx.out().println("stopped pid " + process.pid() + " in "
                + String.format("%.1f", Duration.ofNanos(System.nanoTime() - began).toMillis() / 1000.0) + " s");
        return 0;
    }
}
