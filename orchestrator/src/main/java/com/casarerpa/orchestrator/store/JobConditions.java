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
 * union of such lookups, never a scan of every job.
 */
final class JobConditions {
    private final StringBuilder sql = new StringBuilder();
    private final List<Consumer<Query>> binds = new ArrayList<>();

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

    /** A job id's start, the workflow's name (any case), a tag, or a job found by its variables. */
    private void text(JobFilter.Text text) {
        String query = text.query();
        StringBuilder union = new StringBuilder(" AND id IN (SELECT w.id FROM jobs w WHERE w.workflow_id IN"
                + " (SELECT f.id FROM workflows f WHERE LOWER(f.name) LIKE :qName ESCAPE '!')"
                + " UNION SELECT t.job_id FROM job_tags t WHERE t.tag = :qTag");
        String lower = query.toLowerCase(Locale.ROOT);
        boolean idLike = lower.matches("[a-z0-9_]+");
        if (idLike) {
            // The range makes it an index range whatever the collation: ids are job_ and [0-9a-z].
            union.append(" UNION SELECT p.id FROM jobs p WHERE p.id >= :qLow AND p.id <= :qHigh AND p.id LIKE :qId ESCAPE '!'");
        }
        if (!text.variableMatches().isEmpty()) {
            union.append(" UNION SELECT v.id FROM jobs v WHERE v.id IN (<qVariables>)");
        }
        union.append(")");
        String idPrefix = (lower.startsWith("job_") ? lower : "job_" + lower);
        and(union.toString(), q -> {
            q.bind("qName", "%" + likeEscaped(lower) + "%").bind("qTag", query);
            if (idLike) {
                q.bind("qId", likeEscaped(idPrefix) + "%").bind("qLow", idPrefix).bind("qHigh", idPrefix + "z".repeat(32));
            }
            if (!text.variableMatches().isEmpty()) {
                q.bindList("qVariables", text.variableMatches());
            }
        });
    }

    /** {@code text} for a LIKE pattern with {@code !} as the escape character. */
    static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
