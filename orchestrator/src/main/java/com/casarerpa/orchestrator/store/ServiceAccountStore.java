package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.ServiceAccount;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Service accounts ({@code service_accounts}); new ones are written by {@link AccessStore#insertServiceAccount}. */
public final class ServiceAccountStore {
    private static final String SELECT = "SELECT id, name, description, created_at, created_by, disabled_at FROM service_accounts";

    private final Jdbi jdbi;

    public ServiceAccountStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Every account, oldest first; disabled ones only when asked. */
    public List<ServiceAccount> list(boolean includeDisabled) {
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + (includeDisabled ? "" : " WHERE disabled_at IS NULL")
                        + " ORDER BY created_at, id")
                .map(ServiceAccountStore::map).list()));
    }

    public Optional<ServiceAccount> find(String id) {
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id)
                .map(ServiceAccountStore::map).findOne()));
    }

    /** The accounts of this name (names are not unique: the migration made one per key, named as the key). */
    public List<ServiceAccount> named(String name) {
        return get(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE name = :name ORDER BY created_at, id")
                .bind("name", name).map(ServiceAccountStore::map).list()));
    }

    /** Marks the account disabled; false when it was already. */
    public boolean disable(String id, Instant at) {
        return get(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE service_accounts SET disabled_at = :at"
                        + " WHERE id = :id AND disabled_at IS NULL")
                .bind("id", id).bind("at", ts(at)).execute())) == 1;
    }

    private static ServiceAccount map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ServiceAccount(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                instant(rs.getObject("created_at")).orElseThrow(), rs.getString("created_by"), instant(rs.getObject("disabled_at")));
    }

    private static <T> T get(Supplier<T> action) {
        return Jdbi3.call("service accounts", action);
    }
}
