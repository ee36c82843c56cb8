package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
        page.after().flatMap(JobListing::problemWithCursor).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        StringBuilder sql = new StringBuilder("SELECT id FROM jobs WHERE 1 = 1");
        List<Consumer<Query>> binds = new ArrayList<>();
        if (!filter.states().isEmpty()) {
            sql.append(" AND state IN (<states>)");
            List<String> states = filter.states().stream().map(JobState::wireName).sorted().toList();
            binds.add(q -> q.bindList("states", states));
        }
        filter.workflowId().ifPresent(v -> {
            sql.append(" AND workflow_id = :workflow");
            binds.add(q -> q.bind("workflow", v));
        });
        filter.robotId().ifPresent(v -> {
            sql.append(" AND robot_id = :robot");
            binds.add(q -> q.bind("robot", v));
        });
        FolderFilter.append(filter.folders(), sql, binds);
        filter.createdSince().ifPresent(v -> {
            sql.append(" AND created_at >= :since");
            binds.add(q -> q.bind("since", ts(v)));
        });
        filter.createdUntil().ifPresent(v -> {
            sql.append(" AND created_at < :until");
            binds.add(q -> q.bind("until", ts(v)));
        });
        page.after().ifPresent(key -> {
            sql.append(" AND (created_at, id) < (:afterCreated, :afterId)");
            binds.add(q -> q.bind("afterCreated", ts(Instant.parse(key.get(0)))).bind("afterId", key.get(1)));
        });
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        List<Job> rows = Jdbi3.call("job listing", () -> jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", page.limit() + 1);
            binds.forEach(b -> b.accept(q));
            List<String> ids = q.mapTo(String.class).list();
            Map<String, Job> byId = JobStore.read(h, ids).stream().collect(Collectors.toMap(Job::id, Function.identity()));
            return ids.stream().map(byId::get).toList();
        }));
        return Page.of(rows, page, j -> List.of(j.createdAt().toString(), j.id()));
    }
}
