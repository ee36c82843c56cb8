package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Jobs newest first, a page at a time, keyset-paginated on {@code (created_at, id)}: the cursor
 * is the key of the last job of a page, and the next page starts strictly below it, so pages
 * neither repeat nor skip while jobs are added, and a deep page costs what the first does (the
 * {@code jobs_created} index, compared as a row value so that PostgreSQL uses it as an index
 * condition). Filters narrow the scan; they do not change the order.
 */
public final class JobListing {
    private final Jdbi jdbi;

    public JobListing(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Why {@code key} is not a cursor of this listing; empty when it is one. */
    public static Optional<String> problemWithCursor(List<String> key) {
        if (key.size() != 2 || !key.get(1).startsWith("job_")) {
            return Optional.of("not a cursor of the job listing; pass next_cursor back unchanged");
        }
        try {
            Instant.parse(key.getFirst());
            return Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.of("not a cursor of the job listing; pass next_cursor back unchanged");
        }
    }

    /** @throws IllegalArgumentException when the page's cursor is not one of this listing */
    public Page<Job> list(JobFilter filter, PageRequest page) {
        Page<String> ids = ids(filter, page);
        List<Job> rows = Jdbi3.call("job listing", () -> jdbi.withHandle(h -> {
            Map<String, Job> byId = JobStore.read(h, ids.items()).stream().collect(Collectors.toMap(Job::id, Function.identity()));
            return ids.items().stream().map(byId::get).filter(Objects::nonNull).toList();
        }));
        return new Page<>(rows, ids.nextCursor());
    }

    /**
     * The ids of a page of the listing: what the CSV export and a bulk action walk, a page at a
     * time, without reading the jobs themselves.
     *
     * @throws IllegalArgumentException when the page's cursor is not one of this listing
     */
    public Page<String> ids(JobFilter filter, PageRequest page) {
        page.after().flatMap(JobListing::problemWithCursor).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        JobConditions where = JobConditions.of(filter);
        page.after().ifPresent(key -> where.and(" AND (created_at, id) < (:afterCreated, :afterId)",
                q -> q.bind("afterCreated", ts(Instant.parse(key.get(0)))).bind("afterId", key.get(1))));
        record Key(String id, Instant createdAt) {}
        List<Key> keys = Jdbi3.call("job listing", () -> jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT id, created_at FROM " + where.source() + " WHERE 1 = 1" + where.sql()
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit").bind("limit", page.limit() + 1);
            where.bind(q);
            return q.map((rs, ctx) -> new Key(rs.getString(1), Jdbi3.instant(rs.getObject(2)).orElseThrow())).list();
        }));
        Page<Key> keyed = Page.of(keys, page, k -> List.of(k.createdAt().toString(), k.id()));
        return keyed.map(Key::id);
    }

    /** How many jobs the filter matches. */
    public long count(JobFilter filter) {
        JobConditions where = JobConditions.of(filter);
        return Jdbi3.call("job count", () -> jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT COUNT(*) FROM " + where.source() + " WHERE 1 = 1" + where.sql());
            where.bind(q);
            return q.mapTo(Long.class).one();
        }));
    }

    /** A job whose input variables may hold a text: what the service checks with sensitive values hidden. */
    public record VariablesCandidate(String id, String workflowId, int workflowVersion, String variables) {}

    /**
     * Among the {@code window} newest jobs that match {@code filter} but its free text, the first
     * {@code max} whose variables (JSON text) hold {@code text} in any case.
     */
    public List<VariablesCandidate> variablesHolding(JobFilter filter, String text, int window, int max) {
        JobConditions where = JobConditions.withoutText(filter);
        return Jdbi3.call("job search", () -> jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT r.id, r.workflow_id, r.workflow_version, r.variables FROM (SELECT id, workflow_id,"
                            + " workflow_version, variables, created_at FROM jobs WHERE 1 = 1" + where.sql()
                            + " ORDER BY created_at DESC, id DESC LIMIT :window) r WHERE LOWER(r.variables) LIKE :text ESCAPE '!'"
                            + " ORDER BY r.created_at DESC, r.id DESC LIMIT :max")
                    .bind("window", window).bind("max", max)
                    .bind("text", "%" + JobConditions.likeEscaped(text.toLowerCase(Locale.ROOT)) + "%");
            where.bind(q);
            return q.map((rs, ctx) -> new VariablesCandidate(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4))).list();
        }));
    }

    /** The names of these workflows, by id (a deleted workflow is missing). */
    public Map<String, String> workflowNames(java.util.Collection<String> workflowIds) {
        if (workflowIds.isEmpty()) {
            return Map.of();
        }
        return Jdbi3.call("workflow names", () -> jdbi.withHandle(h -> h.createQuery("SELECT id, name FROM workflows WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(workflowIds))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }
}
