package com.casarerpa.orchestrator.store;

import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.store.DatabaseUnavailableException.Reason;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the orchestrator's own embedded database is opened so that no other local account can use
 * it: the data directory is private ({@link DataDirectory}), H2's AUTO_SERVER listens on loopback
 * only ({@link LoopbackAutoServer}), and the database has a random password kept in
 * {@code <data dir>/database.password} (owner-only), which the server and the CLI commands beside
 * it read alike. A database made before passwords (user {@code sa}, empty password) is given the
 * stored one the first time it is opened.
 */
final class EmbeddedDatabase {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String PASSWORD_FILE = "database.password";
    private static final int PASSWORD_BYTES = 32;

    private EmbeddedDatabase() {}

    /** Makes the data directory private and returns {@code url} with the database's password (created when missing). */
    static DatabaseUrl prepare(DatabaseUrl url) {
        LoopbackAutoServer.require();
        Path file = DataDirectory.secure(url.embeddedDataDir().orElseThrow()).resolve(PASSWORD_FILE);
        String password = DataDirectory.readOrCreateSecret(file, PASSWORD_BYTES);
        if (password.isEmpty()) {
            throw new InsecureEmbeddedDatabaseException(file + " is empty, and the embedded database must not be opened"
                    + " without a password; restore the file from a backup of the data directory");
        }
        return url.withPassword(new Secret(password));
    }

    /**
     * The first connection, with the stored password; the caller closes it. Files H2 has just
     * created are made owner-only.
     *
     * @throws DatabaseUnavailableException when the database refuses the stored password too
     */
    static Connection connect(DatabaseUrl url, PoolSettings pool) {
        Path dir = url.embeddedDataDir().orElseThrow();
        try {
            return Database.connectDirectly(url, pool);
        } catch (DatabaseUnavailableException refused) {
            if (refused.reason() != Reason.CREDENTIALS_REFUSED) {
                throw refused;
            }
            return adoptPassword(url, pool, refused);
        } finally {
            DataDirectory.narrowNewFiles(dir);
        }
    }

    /** A database made before passwords: log in as it was made (empty password) and give it the stored one. */
    private static Connection adoptPassword(DatabaseUrl url, PoolSettings pool, DatabaseUnavailableException refused) {
        Path file = url.embeddedDataDir().orElseThrow().resolve(PASSWORD_FILE);
        Connection c;
        try {
            c = Database.connectDirectly(url.withPassword(new Secret("")), pool);
        } catch (DatabaseUnavailableException alsoRefused) {
            throw new DatabaseUnavailableException(Reason.CREDENTIALS_REFUSED, "the embedded database " + url.endpoint()
                    + " refused the password in " + file + "; if that file was replaced or lost, restore it from a backup"
                    + " of the data directory", refused);
        }
        try (PreparedStatement who = c.prepareStatement("SELECT CURRENT_USER"); ResultSet rs = who.executeQuery()) {
            rs.next();
            String user = rs.getString(1).replace("\"", "\"\"");
            try (PreparedStatement alter = c.prepareStatement("ALTER USER \"" + user + "\" SET PASSWORD ?")) {
                alter.setString(1, url.password().orElseThrow().reveal());
                alter.execute();
            }
        } catch (SQLException e) {
            closeQuietly(c);
            throw new DatabaseAccessException("cannot set the password of the embedded database " + url.endpoint() + ": "
                    + ConnectionFailures.oneLine(e.getMessage(), url), e);
        }
        log.warn("the embedded database {} had no password (made by an older version); it now has the one in {}",
                url.endpoint(), file);
        return c;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing; the original error is the one to report
        }
    }
}
