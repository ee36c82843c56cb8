package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.PoolSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PostgreSQL template with every migration of this build applied, from which
 * {@link TestPostgres#createMigratedDatabase()} copies test databases ({@code CREATE DATABASE x
 * TEMPLATE t}) instead of migrating each one.
 *
 * <p>Its name carries a hash of the PostgreSQL migration files ({@code casare_tpl_<hash>}): a
 * template is reused across runs and test JVMs while the migrations stay the same, and a changed
 * migration builds a new one. Building holds an exclusive advisory lock on the server and copying
 * holds it shared, so JVMs that race build it once and never copy a half-built one. A template is
 * marked ready (IS_TEMPLATE, closed to connections so a copy never waits for one) only once
 * migrated; a half-built one left by a killed JVM is dropped and built again. The first use in a
 * JVM stamps the time on the template; templates of other migration sets unused for a day are
 * dropped then.
 */
final class MigratedTemplate {
    /** The advisory lock key ("casare_t" in ASCII), taken in the {@code postgres} database. */
    private static final long LOCK = 0x6361736172655f74L;
    private static final Duration STALE = Duration.ofDays(1);
    private static final String PREFIX = "casare_tpl_";
    private static final Pattern USED = Pattern.compile("last used (\\d+)");

    private static volatile String ready;

    private MigratedTemplate() {}

    /** Creates {@code database} as a copy of the migrated template, building the template first if needed. */
    static void copyTo(String database) {
        String template = ready();
        String sql = "CREATE DATABASE " + database + " TEMPLATE " + template;
        try (Connection c = TestPostgres.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock_shared(" + LOCK + ")");
            s.execute(sql);
        } catch (SQLException e) {
            throw TestPostgres.unreachable(sql, e);
        } // closing the session releases the lock
    }

    /** The template's name, built or checked once per JVM. */
    static String ready() {
        String name = ready;
        if (name == null) {
            synchronized (MigratedTemplate.class) {
                name = ready;
                if (name == null) {
                    name = PREFIX + migrationsHash();
                    build(name);
                    ready = name;
                }
            }
        }
        return name;
    }

    private static void build(String name) {
        try (Connection c = TestPostgres.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
            Boolean isTemplate = isTemplate(s, name);
            if (isTemplate == null || !isTemplate) {
                if (isTemplate != null) {
                    s.execute("DROP DATABASE " + name + " WITH (FORCE)"); // half built by a JVM that died
                }
                s.execute("CREATE DATABASE " + name);
                migrate(name);
                s.execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
            }
            long now = System.currentTimeMillis() / 1000;
            s.execute("COMMENT ON DATABASE " + name + " IS 'casare test template, last used " + now + "'");
            dropStale(s, name, now - STALE.toSeconds());
        } catch (SQLException e) {
            throw TestPostgres.unreachable("building the migrated template " + name, e);
        }
    }

    private static Boolean isTemplate(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT datistemplate FROM pg_database WHERE datname = '" + name + "'")) {
            return rs.next() ? rs.getBoolean(1) : null;
        }
    }

    private static void migrate(String name) {
        Database db = Database.open(DatabaseUrl.parse(TestPostgres.url(name)), PoolSettings.forCommand());
        try {
            new Migrations(db).migrate();
        } finally {
            db.close();
        }
    }

    /** Drops the templates of other migration sets that nobody used since {@code before} (epoch seconds). */
    private static void dropStale(Statement s, String current, long before) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
                + " WHERE datname LIKE 'casare\\_tpl\\_%' AND datname <> '" + current + "'")) {
            while (rs.next()) {
                Matcher used = USED.matcher(String.valueOf(rs.getString(2)));
                if (!used.find() || Long.parseLong(used.group(1)) < before) {
                    stale.add(rs.getString(1));
                }
            }
        }
        for (String name : stale) {
            s.execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE false");
            s.execute("DROP DATABASE " + name + " WITH (FORCE)");
        }
    }

    /** A hash of the names and contents of the migrations a PostgreSQL database gets. */
    static String migrationsHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : migrationFiles().entrySet()) {
                sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(file.getValue());
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The migration files by {@code folder/name}, in order, with their contents: from the
     * orchestrator's classes directory, or from its jar when another module's tests use this
     * class (then the resources are inside a zip file system).
     */
    private static SortedMap<String, byte[]> migrationFiles() throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (String folder : List.of("common", "postgresql")) {
            URL url = MigratedTemplate.class.getClassLoader().getResource("db/migration/" + folder);
            if (url == null) {
                continue;
            }
            try {
                URI uri = url.toURI();
                if ("jar".equals(uri.getScheme())) {
                    try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                        read(jar.provider().getPath(uri), folder, files);
                    }
                } else {
                    read(Path.of(uri), folder, files);
                }
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return files;
    }

    private static void read(Path dir, String folder, SortedMap<String, byte[]> into) throws IOException {
        try (Stream<Path> listed = Files.list(dir)) {
            for (Path p : listed.filter(f -> f.getFileName().toString().endsWith(".sql")).toList()) {
                into.put(folder + "/" + p.getFileName(), Files.readAllBytes(p));
            }
        }
    }
}
