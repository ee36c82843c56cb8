package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on one connection inside a transaction; may throw {@link SQLException}, which the store wraps. */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
