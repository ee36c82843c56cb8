package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.EmbeddedServerLock;
import com.casarerpa.orchestrator.store.PoolSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Run in a {@link ChildJvm}: holds the embedded database of a data directory open until killed,
 * then prints {@code ready}.
 *
 * <ul>
 *   <li>{@code server DATA_DIR}: as the orchestrator server does: takes the embedded server lock
 *       and opens a pool on the AUTO_SERVER URL;</li>
 *   <li>{@code exclusive DATA_DIR}: opens the same file without AUTO_SERVER, as a foreign tool
 *       would, so nobody else can open it.</li>
 * </ul>
 */
public final class HoldEmbeddedDatabase {
    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[1]);
        DatabaseUrl url = DatabaseUrl.embedded(dataDir);
        if (args[0].equals("server")) {
            EmbeddedServerLock lock = EmbeddedServerLock.acquire(dataDir);
            Database db = Database.open(url, new PoolSettings("holder", 1, 2, PoolSettings.CONNECTION_TIMEOUT, java.time.Duration.ZERO));
            try (Connection c = db.connection()) {
                c.createStatement().execute("SELECT 1");
            }
            hold(lock, db);
        } else {
            String exclusive = url.jdbcUrl().replace(";AUTO_SERVER=TRUE", "");
            java.nio.file.Files.createDirectories(dataDir);
            Connection c = DriverManager.getConnection(exclusive, "sa", "");
            hold(c);
        }
    }

    private static void hold(Object... resources) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join(); // until the test kills this process; resources stay open
        System.out.println(resources.length);
    }
}
