package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.Query;

/**
 * The {@code WHERE} conditions of a {@link JobFilter} on {@code jobs}, written once for the
 * listing, the CSV export, the bulk actions and the failure groups. Each condition is a range or
 * a lookup of an index of V23 ({@code jobs_state_created}, {@code jobs_workflow_created},
 * {@code jobs_error_signature}, {@code job_tags_by_tag}, the id for a prefix); the free text is a
 * union of such lookups ({@link #source()}), never a scan of every job.
 */
final class JobConditions {
    private final StringBuilder sql = new StringBuilder();
    private final List<Consumer<Query>> binds = new ArrayList<>();
    private String source = "jobs";

    private JobConditions() {}

    /** The conditions of {@code filter}, each starting with {@code AND}. */
    static JobConditions of(JobFilter filter) {
        JobConditions c = new JobConditions();
        c.add(filter, true);
        return c;
    }

    /** The conditions of {@code filter} but its free text (the window its variables are searched in). */
    static JobConditions withoutText(JobFilter filter) {
        JobConditions c = new JobConditions();
        c.add(filter, false);
        return c;
    }

    String sql() {
        return sql.toString();
    }

    void bind(Query q) {
        binds.forEach(b -> b.accept(q));
    }

    /** One more condition: {@code condition} (starting with AND) and what it binds. */
    JobConditions and(String condition, Consumer<Query> bind) {
        sql.append(condition);
        binds.add(bind);
        return this;
    }

    private void add(JobFilter filter, boolean withText) {
        if (!filter.states().isEmpty()) {
            List<String> states = filter.states().stream().map(JobState::wireName).sorted().toList();
            and(" AND state IN (<states>)", q -> q.bindList("states", states));
        }
        filter.workflowId().ifPresent(v -> and(" AND workflow_id = :workflow", q -> q.bind("workflow", v)));
        filter.robotId().ifPresent(v -> and(" AND robot_id = :robot", q -> q.bind("robot", v)));
        FolderFilter.append(filter.folders(), sql, binds);
        filter.createdSince().ifPresent(v -> and(" AND created_at >= :since", q -> q.bind("since", ts(v))));
        filter.createdUntil().ifPresent(v -> and(" AND created_at < :until", q -> q.bind("until", ts(v))));
        filter.errorSignature().ifPresent(v -> and(" AND error_signature = :signature", q -> q.bind("signature", v)));
        int i = 0;
        for (String tag : filter.tags().stream().sorted().toList()) {
            String name = "tag" + i++;
            and(" AND id IN (SELECT t.job_id FROM job_tags t WHERE t.tag = :" + name + ")", q -> q.bind(name, tag));
        }
        if (withText) {
            filter.text().ifPresent(this::text);
        }
    }

    /**
     * The jobs a query reads: {@code jobs}, or with free text the union of the jobs each kind of
     * match finds, by an index each (a job id's start, the workflow's name in any case, a tag, a
     * job found by its variables), named {@code jobs} so that the conditions apply to it as they
     * are. PostgreSQL pushes the conditions down into each arm of the union.
     */
    String source() {
        return source;
    }

    private void text(JobFilter.Text text) {
        String query = text.query();
        String lower = query.toLowerCase(Locale.ROOT);
        String columns = "id, created_at, state, workflow_id, robot_id, folder_id, error_signature";
        StringBuilder union = new StringBuilder("(SELECT " + columns + " FROM jobs WHERE workflow_id IN"
                + " (SELECT f.id FROM workflows f WHERE LOWER(f.name) LIKE :qName ESCAPE '!')"
                + " UNION SELECT " + qualified("j", columns) + " FROM job_tags t JOIN jobs j ON j.id = t.job_id WHERE t.tag = :qTag");
        boolean idLike = lower.matches("[a-z0-9_]+");
        if (idLike) {
            // The range makes it an index range whatever the collation: ids are job_ and [0-9a-z].
            union.append(" UNION SELECT " + columns + " FROM jobs WHERE id >= :qLow AND id <= :qHigh AND id LIKE :qId ESCAPE '!'");
        }
        if (!text.variableMatches().isEmpty()) {
            union.append(" UNION SELECT " + columns + " FROM jobs WHERE id IN (<qVariables>)");
        }
        source = union.append(") jobs").toString();
        String idPrefix = lower.startsWith("job_") ? lower : "job_" + lower;
        binds.add(q -> {
            q.bind("qName", "%" + likeEscaped(lower) + "%").bind("qTag", query);
            if (idLike) {
                q.bind("qId", likeEscaped(idPrefix) + "%").bind("qLow", idPrefix).bind("qHigh", idPrefix + "z".repeat(32));
            }
            if (!text.variableMatches().isEmpty()) {
                q.bindList("qVariables", text.variableMatches());
            }
        });
    }

    private static String qualified(String alias, String columns) {
        return alias + "." + columns.replace(", ", ", " + alias + ".");
    }

    /** {@code text} for a LIKE pattern with {@code !} as the escape character. */
    static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
