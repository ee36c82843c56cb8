package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.app.InitialAdminKey;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code start --daemon}: runs this same command line again, without {@code --daemon}, as a
 * process of its own (a new session through {@code setsid} when there is one, so closing the
 * terminal does not stop it; standard input from {@code /dev/null}, output appended to the log
 * file), waits until it answers {@code /health}, shows the first start's admin key (handed over
 * through an owner-only file, never through the log), says where everything is and returns.
 */
final class DaemonStart {
    /** The longest a start may take (migrations of a large database take a while). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    static final String HANDOFF_OPTION = "--handoff";
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final int LOG_LINES_SHOWN = 15;

    private final CliContext ctx;
    private final OrchestratorSettings settings;
    private final PidFile pidFile;
    private final Path logFile;

    DaemonStart(CliContext ctx, OrchestratorSettings settings) {
        this.ctx = ctx;
        this.settings = settings;
        this.pidFile = new PidFile(settings.lifecycle().pidFile());
        this.logFile = settings.lifecycle().logFile().toAbsolutePath().normalize();
    }

    /** @param originalArgs the arguments this JVM's {@code main} was given, {@code --daemon} among them */
    int run(List<String> originalArgs) throws IOException, InterruptedException {
        pidFile.liveProcess().ifPresent(p -> {
            throw ServerRun.held(pidFile, p.pid());
        });
        prepareLogFile();
        long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        Path handoff = ownerOnlyFile();
        try {
            List<String> command = new ArrayList<>(rerun(originalArgs));
            command.add(HANDOFF_OPTION);
            command.add(handoff.toString());
            ProcessBuilder pb = new ProcessBuilder(command).directory(ctx.workingDir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(ctx.env());
            Process child = pb.start();
            Optional<InstanceInfo> up = awaitUp(child);
            if (up.isEmpty()) {
                return failed(child, logStart);
            }
            String key = Files.readString(handoff, StandardCharsets.UTF_8).strip();
            if (!key.isEmpty()) {
                Path keyFile = settings.dataDir().toAbsolutePath().normalize().resolve(InitialAdminKey.FILE_NAME);
                FirstKeyNotice.print(ctx.err(), key, Optional.of(keyFile).filter(Files::exists), up.get().address());
            }
            started(up.get());
            return 0;
        } finally {
            Files.deleteIfExists(handoff);
        }
    }

    /** Waits until the child has written its pid file and answers /health; empty when it exited or took too long. */
    private Optional<InstanceInfo> awaitUp(Process child) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (child.isAlive() && System.nanoTime() < deadline) {
            Optional<InstanceInfo> info = pidFile.info().filter(i -> i.pid() == child.pid());
            if (info.isPresent() && HealthProbe.ask(info.get().address()).answered()) {
                return info;
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    private void started(InstanceInfo info) {
        PrintWriter out = ctx.out();
        HealthProbe.Answer health = HealthProbe.ask(info.address());
        out.println("orchestrator started in the background: pid " + info.pid());
        out.println("  address:  " + info.address() + " (health: " + health.field("status", "no answer") + ")");
        out.println("  log file: " + logFile);
        out.println("  pid file: " + pidFile.path());
        String which = settings.lifecycle().pidFile().equals(settings.dataDir().resolve("orchestrator.pid")) ? ""
                : " --pid-file " + pidFile.path();
        out.println("  status:   casare-rpa orchestrator status" + which);
        out.println("  stop:     casare-rpa orchestrator stop" + which);
        out.flush();
    }

    private int failed(Process child, long logStart) throws IOException {
        List<String> lines = logSince(logStart);
        List<String> errors = lines.stream().filter(l -> l.startsWith("error: ")).toList();
        List<String> shown = !errors.isEmpty() ? errors : lines.subList(Math.max(0, lines.size() - LOG_LINES_SHOWN), lines.size());
        PrintWriter err = ctx.err();
        if (child.isAlive()) {
            err.println("error: the orchestrator (pid " + child.pid() + ") did not answer /health within "
                    + START_TIMEOUT.toSeconds() + " s; it is still running: see " + logFile
                    + ", and stop it with 'casare-rpa orchestrator stop' or kill " + child.pid());
        } else {
            err.println("error: the orchestrator exited during start-up (exit code " + child.exitValue() + "); from its log "
                    + logFile + ":");
        }
        shown.forEach(l -> err.println("  " + l));
        err.flush();
        return 1;
    }

    private List<String> logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(logFile);
        int from = (int) Math.min(offset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
    }

    /**
     * This JVM's command line (the same java, its options, the jar or class path and main class)
     * with the {@code main} arguments {@code originalArgs} minus {@code --daemon}, through {@code setsid} when present.
     */
    static List<String> rerun(List<String> originalArgs) {
        ProcessHandle.Info self = ProcessHandle.current().info();
        Optional<String> java = self.command();
        List<String> argv = self.arguments().map(Arrays::asList).orElse(List.of());
        int k = originalArgs.size();
        if (java.isEmpty() || argv.size() < k || !argv.subList(argv.size() - k, argv.size()).equals(originalArgs)) {
            throw new CommandFailure("--daemon cannot read this process's command line to run it again; run 'start' without"
                    + " --daemon under a service manager (systemd) instead");
        }
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(java.get());
        command.addAll(argv.subList(0, argv.size() - k));
        originalArgs.stream().filter(a -> !a.equals("--daemon")).forEach(command::add);
        return command;
    }

    /** The log (and its directory, often the data directory) readable by this account only, as the server keeps its files. */
    private void prepareLogFile() throws IOException {
        if (!Files.isDirectory(logFile.getParent())) {
            Files.createDirectories(logFile.getParent(), OwnerOnly.attributes(OwnerOnly.DIRECTORY));
        }
        if (!Files.exists(logFile)) {
            Files.createFile(logFile, OwnerOnly.attributes(OwnerOnly.FILE));
        }
    }

    private static Path ownerOnlyFile() throws IOException {
        return Files.createTempFile("casare-initial-key-", ".tmp", OwnerOnly.attributes(OwnerOnly.FILE));
    }
}
