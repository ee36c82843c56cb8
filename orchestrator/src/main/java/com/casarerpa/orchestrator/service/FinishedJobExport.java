package com.casarerpa.orchestrator.service;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.store.ExpiredRows.JobCursor;
import com.casarerpa.orchestrator.store.FinishedJobArchive;
import com.casarerpa.protocol.rest.JobBodies;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Finished jobs of a time range as JSON lines, oldest first (docs/operations.md, "Retention"):
 * one object per job, shaped as {@code GET /api/v1/jobs/{id}} answers it (sensitive values hidden
 * the same way), plus its {@code logs} as {@code GET /api/v1/jobs/{id}/logs} lists them. Read a
 * chunk at a time ({@link FinishedJobArchive}), so memory stays flat however many jobs there are.
 */
public final class FinishedJobExport {
    static final int CHUNK = 500;

    private final FinishedJobArchive archive;
    private final JobViews views;
    private final ObjectWriter json = Json.mapper().writer();

    public FinishedJobExport(FinishedJobArchive archive, JobViews views) {
        this.archive = archive;
        this.views = views;
    }

    /** One line of the export: the job's detail, flattened, and its log lines. */
    public record Line(@JsonUnwrapped JobBodies.JobDetail job, List<JobBodies.JobLogEntry> logs) {}

    /** What was written so far. */
    public record Progress(long jobs, long attempts, long logs, long total) {}

    /** Told after each chunk. */
    @FunctionalInterface
    public interface Listener {
        void written(Progress progress);
    }

    /** How many finished jobs the range holds (for progress). */
    public long count(Optional<Instant> from, Instant before) {
        return archive.count(from, before);
    }

    /**
     * Writes the finished jobs of the range to {@code out}, one JSON object a line.
     *
     * @param total the count to report progress against ({@link #count})
     * @throws UncheckedIOException when writing fails
     */
    public Progress write(Optional<Instant> from, Instant before, long total, Writer out, Listener listener) {
        FolderTree tree = views.tree();
        long jobs = 0;
        long attempts = 0;
        long logs = 0;
        Optional<JobCursor> after = Optional.empty();
        do {
            FinishedJobArchive.Chunk chunk = archive.read(from, before, CHUNK, after);
            for (FinishedJobArchive.Entry e : chunk.entries()) {
                Line line = new Line(views.detail(new JobDetails(e.job(), e.attempts(), Optional.empty()), tree),
                        e.logs().stream().map(JobViews::log).toList());
                write(out, line);
                jobs++;
                attempts += e.attempts().size();
                logs += e.logs().size();
            }
            listener.written(new Progress(jobs, attempts, logs, total));
            after = chunk.next();
        } while (after.isPresent());
        return new Progress(jobs, attempts, logs, total);
    }

    private void write(Writer out, Line line) {
        try {
            out.write(json.writeValueAsString(line));
            out.write('\n');
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job " + line.job().job().id() + " as JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
