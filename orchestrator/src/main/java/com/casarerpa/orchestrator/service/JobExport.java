package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.paging.PageCursor;
import com.casarerpa.orchestrator.store.JobListing;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every job of a filter as CSV ({@link Csv}), newest first: a header, then one record per
 * job, read {@value #CHUNK} at a time by keyset ({@link JobListing}), so memory stays the same
 * however many jobs match. Errors are their one-line summary; variables, results and logs are
 * not exported.
 */
public final class JobExport {
    static final int CHUNK = 500;
    public static final List<String> COLUMNS = List.of("id", "state", "workflow_id", "workflow_name", "workflow_version",
            "robot_id", "folder_path", "created_at", "started_at", "finished_at", "attempts", "error_summary", "tags");

    private final JobListing listing;
    private final FolderAccess folders;

    public JobExport(JobListing listing, FolderAccess folders) {
        this.listing = listing;
        this.folders = folders;
    }

    /**
     * Writes the jobs of {@code filter} (resolved for its caller: {@link JobSearch#resolve}) to
     * {@code out}; returns how many. A failure to write ({@link java.io.UncheckedIOException}:
     * the client went away) ends it.
     */
    public long write(JobFilter filter, Writer out) {
        Csv.write(out, COLUMNS);
        FolderTree tree = folders.tree();
        long written = 0;
        Optional<List<String>> after = Optional.empty();
        while (true) {
            Page<Job> page = listing.list(filter, new PageRequest(CHUNK, after));
            Map<String, String> names = listing.workflowNames(new HashSet<>(page.items().stream().map(Job::workflowId).toList()));
            for (Job j : page.items()) {
                Csv.write(out, record(j, names, tree));
                written++;
            }
            if (page.nextCursor() == null) {
                return written;
            }
            after = Optional.of(PageCursor.decode(page.nextCursor()));
        }
    }

    private static List<String> record(Job j, Map<String, String> names, FolderTree tree) {
        List<String> r = new ArrayList<>();
        r.add(j.id());
        r.add(j.state().wireName());
        r.add(j.workflowId());
        r.add(names.get(j.workflowId()));
        r.add(String.valueOf(j.workflowVersion()));
        r.add(j.robotId().orElse(null));
        r.add(FolderAccess.ref(tree, j.folderId()).path());
        r.add(j.createdAt().toString());
        r.add(j.startedAt().map(Instant::toString).orElse(null));
        r.add(j.finishedAt().map(Instant::toString).orElse(null));
        r.add(String.valueOf(j.attempt()));
        r.add(JobViews.errorSummary(j.errorType(), j.errorMessage()));
        r.add(String.join(", ", j.tags()));
        return r;
    }
}
