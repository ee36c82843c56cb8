package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import com.casarerpa.orchestrator.store.FeedLookups;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where each change belongs, for the live feed to decide who sees it, without a query per
 * change. A job's folder never changes: the changes that carry it (a submit, a log batch) teach
 * it, and the folders of the others are read many at once and kept (the latest
 * {@value #JOBS_KEPT} jobs). The folders robots are assigned to and the folder tree are kept
 * {@link #FRESH} (an assignment changed meanwhile shows within that time).
 */
public final class ChangeFolders {
    static final int JOBS_KEPT = 100_000;
    /** How long a robot's folders and the folder tree are used before they are read again. */
    public static final Duration FRESH = Duration.ofSeconds(30);

    private final FeedLookups lookups;
    private final Supplier<FolderTree> readTree;
    private final LongSupplier nanos;
    private final Map<String, String> jobFolders = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > JOBS_KEPT;
        }
    };
    private final Map<String, Kept<List<String>>> robotFolders = new HashMap<>();
    /** Guards the kept folders; never held while reading the database. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Kept<FolderTree> tree;

    private record Kept<T>(T value, long readAt) {}

    /** A change with where it belongs: the folder of a job, log or schedule; the folders a robot is assigned to. */
    public record Placed(ChangeEvent event, Optional<String> folder, List<String> robotFolders) {
        public Change change() {
            return event.change();
        }
    }

    /** @param nanos a monotonic clock ({@code System::nanoTime}) */
    public ChangeFolders(FeedLookups lookups, Supplier<FolderTree> readTree, LongSupplier nanos) {
        this.lookups = lookups;
        this.readTree = readTree;
        this.nanos = nanos;
    }

    /** The folder tree, read at most once per {@link #FRESH} (two feeds may read it at once). */
    public FolderTree tree() {
        long now = nanos.getAsLong();
        Kept<FolderTree> kept = tree;
        if (kept == null || now - kept.readAt() > FRESH.toNanos()) {
            kept = new Kept<>(readTree.get(), now);
            tree = kept;
        }
        return kept.value();
    }

    /** Each event placed; what is not known yet is read in one query per kind. */
    public List<Placed> place(List<ChangeEvent> events) {
        Set<String> jobsUnknown = new LinkedHashSet<>();
        Set<String> robotsUnknown = new LinkedHashSet<>();
        long now = nanos.getAsLong();
        lock.lock();
        try {
            for (ChangeEvent e : events) {
                Change c = e.change();
                if (c.kind() == Change.Kind.ROBOT) {
                    Kept<List<String>> k = robotFolders.get(c.subject());
                    if (k == null || now - k.readAt() > FRESH.toNanos()) {
                        robotsUnknown.add(c.subject());
                    }
                } else if (isJob(c)) {
                    if (c.folder().isPresent()) {
                        jobFolders.put(c.subject(), c.folder().get());
                    } else if (!jobFolders.containsKey(c.subject())) {
                        jobsUnknown.add(c.subject());
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        Map<String, String> jobsRead = jobsUnknown.isEmpty() ? Map.of() : lookups.jobFolders(jobsUnknown);
        Map<String, List<String>> robotsRead = robotsUnknown.isEmpty() ? Map.of() : lookups.robotFolders(robotsUnknown);
        List<Placed> out = new ArrayList<>(events.size());
        lock.lock();
        try {
            jobFolders.putAll(jobsRead);
            robotsUnknown.forEach(r -> robotFolders.put(r, new Kept<>(List.copyOf(robotsRead.getOrDefault(r, List.of())), now)));
            robotFolders.values().removeIf(k -> now - k.readAt() > 2 * FRESH.toNanos());
            for (ChangeEvent e : events) {
                Change c = e.change();
                if (c.kind() == Change.Kind.ROBOT) {
                    out.add(new Placed(e, Optional.empty(), robotFolders.get(c.subject()).value()));
                } else if (isJob(c)) {
                    out.add(new Placed(e, c.folder().or(() -> Optional.ofNullable(jobFolders.get(c.subject()))), List.of()));
                } else {
                    out.add(new Placed(e, c.folder(), List.of()));
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    private static boolean isJob(Change c) {
        return c.kind() == Change.Kind.JOB || c.kind() == Change.Kind.LOG;
    }
}
