package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.service.FinishedJobExport;
import com.casarerpa.orchestrator.service.FolderAccess;
import com.casarerpa.orchestrator.service.JobViews;
import com.casarerpa.orchestrator.service.SensitiveDeclarations;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.FinishedJobArchive;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.StoreException;
import com.casarerpa.orchestrator.store.WorkflowStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code export-jobs --before WHEN [--from WHEN] --output FILE [--json]}: the finished jobs of a
 * range of finish times, with their attempts and logs, as JSON lines (gzip when the file ends in
 * {@code .gz}), read from the database while the server runs; progress on stderr. The first step
 * of "export, then purge" (docs/operations.md, "Retention").
 */
@Command(name = "export-jobs", mixinStandardHelpOptions = true,
        description = {"Export finished jobs with their attempts and logs to a JSON lines file (gzip when FILE ends in .gz),"
                + " oldest first, before retention purges them. Reads the database directly; the server may run.",
            "Example, daily, ahead of a 90-day retention (docs/operations.md, \"Retention\"):",
            "  casare-rpa orchestrator export-jobs --from $(date -u -d '81 days ago' +%%F) --before $(date -u -d '80 days ago' +%%F) \\",
            "      --output jobs-$(date -u -d '81 days ago' +%%F).jsonl.gz"})
final class ExportJobsCommand implements Callable<Integer> {
    private static final Pattern AGO = Pattern.compile("(\\d{1,6})([hdw])");
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final CliContext ctx;
    private final Clock clock;

    @Mixin
    ConfigOptions config;

    @Option(names = "--before", required = true, paramLabel = "WHEN",
            description = "Jobs that finished before this: an age (90d, 12h, 2w: that long ago), a date (2026-09-01, midnight UTC)"
                    + " or an instant (2026-09-01T12:00:00Z).")
    String before;

    @Option(names = "--from", paramLabel = "WHEN", description = "And at or after this (same forms). Default: the oldest.")
    String from;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "FILE",
            description = "File to write (replaced if it exists; written whole or not at all). Ending in .gz: gzip.")
    Path output;

    @Option(names = "--json", description = "Print a JSON summary for scripts (progress still goes to stderr).")
    boolean json;

    ExportJobsCommand(CliContext ctx) {
        this(ctx, Clock.systemUTC());
    }

    ExportJobsCommand(CliContext ctx, Clock clock) {
        this.ctx = ctx;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        Instant upTo = when("--before", before);
        Optional<Instant> start = Optional.ofNullable(from).map(f -> when("--from", f));
        if (start.isPresent() && !start.get().isBefore(upTo)) {
            throw new CommandFailure("--from: must be before --before (" + upTo + "), got " + start.get(), 2, null);
        }
        Path path = ctx.resolve(output);
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new CommandFailure("cannot write " + output + ": the directory " + dir + " does not exist");
        }
        long began = System.nanoTime();
        try (Database db = DatabaseCommands.openCurrent(config.loadForCommand(ctx).settings())) {
            Jdbi jdbi = Jdbi3.of(db);
            FinishedJobExport export = new FinishedJobExport(new FinishedJobArchive(jdbi),
                    new JobViews(new SensitiveDeclarations(new WorkflowStore(jdbi)), FolderAccess.on(jdbi)));
            long total = export.count(start, upTo);
            FinishedJobExport.Progress done = writeAtomically(path, out -> export.write(start, upTo, total, out, progress()));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            summary(done, start, upTo, took);
            return 0;
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }

    /** Progress on stderr: at most every {@link #PROGRESS_EVERY}, and once at the end. */
    private FinishedJobExport.Listener progress() {
        long[] last = {System.nanoTime()};
        return p -> {
            long now = System.nanoTime();
            if (now - last[0] >= PROGRESS_EVERY.toNanos() || p.jobs() >= p.total()) {
                last[0] = now;
                ctx.err().println(String.format(Locale.ROOT, "export-jobs: %d of %d jobs (%.0f%%), %d log lines", p.jobs(), p.total(),
                        p.total() == 0 ? 100.0 : 100.0 * p.jobs() / p.total(), p.logs()));
                ctx.err().flush();
            }
        };
    }

    private void summary(FinishedJobExport.Progress done, Optional<Instant> start, Instant upTo, Duration took) {
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", output.toString());
            out.put("format", output.toString().endsWith(".gz") ? "jsonl.gz" : "jsonl");
            out.put("from", start.map(Instant::toString).orElse(null));
            out.put("before", upTo.toString());
            out.put("jobs", done.jobs());
            out.put("attempts", done.attempts());
            out.put("logs", done.logs());
            out.put("bytes", size(ctx.resolve(output)));
            out.put("seconds", took.toMillis() / 1000.0);
            DatabaseCommands.printJson(ctx, out);
        } else {
            ctx.out().println("Exported " + DatabaseCommands.count((int) done.jobs(), "finished job") + " ("
                    + DatabaseCommands.count((int) done.logs(), "log line") + ", "
                    + DatabaseCommands.count((int) done.attempts(), "attempt") + ") that finished "
                    + start.map(s -> "from " + s + " ").orElse("") + "before " + upTo + " to " + output + ".");
        }
    }

    @FunctionalInterface
    private interface Body {
        FinishedJobExport.Progress write(Writer out);
    }

    /** Writes through a temporary file beside {@code path}, moved into place only when complete. */
    private FinishedJobExport.Progress writeAtomically(Path path, Body body) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(path.toAbsolutePath().getParent(), "." + path.getFileName(), ".tmp");
            FinishedJobExport.Progress done;
            try (OutputStream file = Files.newOutputStream(tmp);
                    OutputStream stream = path.toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16) : file;
                    Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
                done = body.write(out);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return done;
        } catch (IOException | UncheckedIOException e) {
            throw new CommandFailure("cannot write " + output + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file stays; nothing else to do
                }
            }
        }
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    /** An age ({@code 90d}: that long before now), a date (midnight UTC) or an instant. */
    Instant when(String option, String text) {
        Matcher m = AGO.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return clock.instant().minus(d);
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new CommandFailure(option + ": expected an age (90d, 12h, 2w), a date (2026-09-01) or an instant"
                        + " (2026-09-01T12:00:00Z), got \"" + text + "\"", 2, null);
            }
        }
    }
}
