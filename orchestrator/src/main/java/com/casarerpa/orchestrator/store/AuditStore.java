package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditEvent;
import com.casarerpa.orchestrator.domain.AuditFilter;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.MDC;

/**
 * The audit trail in {@code audit_events}: appended by every write in the write's own
 * transaction ({@link #atomically}), read newest first with keyset pagination on the event id.
 * Each event keeps the folder of what changed and the client address of the request (the MDC's
 * {@link AuditTrail#CLIENT_ADDRESS}, put there by the HTTP API; null for the CLI and background work).
 */
public final class AuditStore implements AuditTrail {
    private final Jdbi jdbi;
    private final Clock clock;

    public AuditStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * {@inheritDoc} JDBI gives nested calls on one thread the handle of the outermost, so the
     * stores the change calls (on the same {@link Jdbi}) write in this transaction.
     */
    @Override
    public <T> T atomically(Supplier<T> change) {
        return Jdbi3.call("transaction", () -> jdbi.inTransaction(h -> change.get()));
    }

    @Override
    public void record(Actor actor, String action, String targetType, String targetId, Map<String, Object> details,
            String folderId) {
        Jdbi3.run("audit trail", () -> jdbi.useHandle(h -> {
            if (!h.isInTransaction()) {
                throw new IllegalStateException("the audit event " + action + " must be written in the transaction of the"
                        + " change it records: make the change and record it inside AuditTrail.atomically");
            }
            insert(h, clock.instant(), actor, action, targetType, targetId, details, folderId);
        }));
    }

    /**
     * Writes one event on a handle the caller holds, so it commits (or not) with the change it
     * describes: a submitted job and its record cost one transaction.
     */
    static void insert(Handle h, Instant at, Actor actor, String action, String targetType, String targetId,
            Map<String, Object> details, String folderId) {
        String json;
        try {
            json = Json.mapper().writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not serialisable: " + e.getMessage(), e);
        }
        h.createUpdate("INSERT INTO audit_events (occurred_at, actor_kind, actor_id, actor_name, action, target_type,"
                        + " target_id, details, request_id, folder_id, client_address) VALUES (:at, :kind, :id, :name, :action,"
                        + " :type, :target, :details, :request, :folder, :address)")
                .bind("at", ts(at))
                .bind("kind", actor.kind())
                .bind("id", actor.id())
                .bind("name", actor.name())
                .bind("action", action)
                .bind("type", targetType)
                .bind("target", targetId)
                .bind("details", json)
                .bind("request", MDC.get("request_id"))
                .bind("folder", folderId)
                .bind("address", MDC.get(CLIENT_ADDRESS))
                .execute();
    }

    /** Newest first, a page at a time (the cursor is the id of the last event of a page). */
    public Page<AuditEvent> list(AuditFilter filter, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_events WHERE 1 = 1");
        List<Consumer<Query>> binds = new ArrayList<>();
        equal("actor_id", filter.actorId(), sql, binds);
        equal("action", filter.action(), sql, binds);
        equal("target_type", filter.targetType(), sql, binds);
        equal("target_id", filter.targetId(), sql, binds);
        FolderFilter.append(filter.folders(), sql, binds);
        filter.since().ifPresent(v -> {
            sql.append(" AND occurred_at >= :since");
            binds.add(q -> q.bind("since", ts(v)));
        });
        filter.until().ifPresent(v -> {
            sql.append(" AND occurred_at < :until");
            binds.add(q -> q.bind("until", ts(v)));
        });
        page.after().ifPresent(key -> {
            sql.append(" AND id < :before");
            binds.add(q -> q.bind("before", parseId(key)));
        });
        sql.append(" ORDER BY id DESC LIMIT :limit");
        List<AuditEvent> rows = Jdbi3.call("audit trail", () -> jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", page.limit() + 1);
            binds.forEach(b -> b.accept(q));
            return q.map((rs, ctx) -> new AuditEvent(
                            rs.getLong("id"),
                            instant(rs.getObject("occurred_at")).orElseThrow(),
                            rs.getString("actor_kind"),
                            rs.getString("actor_id"),
                            rs.getString("actor_name"),
                            rs.getString("action"),
                            rs.getString("target_type"),
                            rs.getString("target_id"),
                            parse(rs.getString("details")),
                            rs.getString("request_id"),
                            rs.getString("folder_id"),
                            rs.getString("client_address")))
                    .list();
        }));
        return Page.of(rows, page, e -> List.of(Long.toString(e.id())));
    }

    /** {@code AND column = value} when there is a value (each such column has an index ending in {@code id}). */
    private static void equal(String column, Optional<String> value, StringBuilder sql, List<Consumer<Query>> binds) {
        value.ifPresent(v -> {
            sql.append(" AND ").append(column).append(" = :").append(column);
            binds.add(q -> q.bind(column, v));
        });
    }

    private static long parseId(List<String> key) {
        try {
            return Long.parseLong(key.getFirst());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cursor is not one this server returned; pass next_cursor back unchanged", e);
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", json);
        }
    }
}
