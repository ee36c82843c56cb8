package com.casarerpa.orchestrator.app;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Dialect;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.store.TransactionPooling;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an instance gets what must stay on one PostgreSQL session: the LISTEN connection, the
 * first-start lock and migrations. Straight to PostgreSQL or through a session pooler, that is
 * the pool itself. Behind a transaction pooler ({@code database.pool_mode: transaction}) it is a
 * small pool of its own on {@code database.direct_url}. Transaction pooling that the
 * configuration does not declare is refused, since LISTEN would then go quiet without an error.
 */
final class SessionDatabase {
    private static final Logger log = LoggerFactory.getLogger(SessionDatabase.class);

    private SessionDatabase() {}

    /**
     * Before the pool opens (so that only two connections are needed, however small the
     * pooler's pool): refuses transaction pooling on {@code url} that the configuration does not
     * declare. Nothing to check on H2, or when {@code database.pool_mode} is transaction.
     *
     * @throws TransactionPooling.Undeclared when it finds it
     */
    static void refuseUndeclaredPooling(OrchestratorSettings settings, DatabaseUrl url) {
        if (url.dialect() == Dialect.POSTGRESQL && settings.database().poolMode() == OrchestratorSettings.PoolMode.SESSION
                && TransactionPooling.detected(url, PoolSettings.forServer(settings.database()))) {
            throw new TransactionPooling.Undeclared(url, "database.url");
        }
    }

    /**
     * The database to take sessions from: {@code pool}, or behind a transaction pooler a pool on
     * {@code database.direct_url}, handed to {@code closeLater}.
     *
     * @throws TransactionPooling.Undeclared when the direct URL is pooled per transaction too
     */
    static Database choose(OrchestratorSettings settings, Database pool, Consumer<AutoCloseable> closeLater) {
        if (pool.dialect() != Dialect.POSTGRESQL || settings.database().poolMode() == OrchestratorSettings.PoolMode.SESSION) {
            return pool;
        }
        DatabaseUrl direct = DatabaseUrl.forSessions(settings);
        if (TransactionPooling.detected(direct, PoolSettings.forSessions())) {
            throw new TransactionPooling.Undeclared(direct, "database.direct_url");
        }
        Database sessions = Database.open(direct, PoolSettings.forSessions());
        closeLater.accept(sessions);
        log.info("database.pool_mode: transaction: no server-side prepared statements on {}; LISTEN, the first-start lock"
                + " and migrations use database.direct_url {}", pool.displayUrl(), direct.display());
        return sessions;
    }
}
