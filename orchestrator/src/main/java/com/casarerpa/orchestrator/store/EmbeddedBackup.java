package com.casarerpa.orchestrator.store;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A backup of the embedded database as one zip file, and its restore into a data directory.
 *
 * <p>The copy is H2's {@code BACKUP TO}, run by whichever process holds the database (through
 * {@code AUTO_SERVER} while a server runs): H2 copies its store file while writers carry on, and
 * the copy is transactionally consistent. Beside it the archive holds the files without which
 * the copy is useless: {@code database.password} (the database refuses any other) and
 * {@code secret.key} (tokens signed before the backup stay valid). Everything that holds these
 * is owner-only: the archive, and the private directory it is assembled in.
 *
 * <p>A restore goes into a data directory that holds no database and that no server uses
 * ({@link EmbeddedServerLock}); it takes only the entries it knows, so an archive cannot write
 * anywhere else.
 */
public final class EmbeddedBackup {
    static final String DATABASE_FILE = DatabaseUrl.EMBEDDED_FILE_NAME + ".mv.db";
    /** The files of the data directory that a backup carries besides the database. */
    static final List<String> KEPT_FILES = List.of(EmbeddedDatabase.PASSWORD_FILE, DataDirectory.SIGNING_KEY_FILE);

    private EmbeddedBackup() {}

    /** What a backup or restore wrote: the archive or data directory, and the files in it. */
    public record Written(Path path, List<String> files) {}

    /**
     * Writes the backup of {@code database} (the embedded one, open) to {@code archive}, which must
     * not exist yet.
     *
     * @throws BackupException with what went wrong and what to do
     */
    public static Written write(Database database, Path archive) {
        Path dataDir = database.url().embeddedDataDir().orElseThrow(() -> new BackupException(
                "backup: " + database.displayUrl() + " is not the embedded database; back PostgreSQL up with pg_dump", null));
        Path target = archive.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new BackupException("backup: " + target + " already exists; choose another --output, or move it away first", null);
        }
        Path work = null;
        try {
            work = Files.createTempDirectory(target.getParent(), ".casare-backup-", DataDirectory.ownerOnlyDirectory(target.getParent()));
            Path copy = work.resolve("h2.zip");
            try (Connection c = database.connection(); Statement s = c.createStatement()) {
                s.execute("BACKUP TO '" + copy.toString().replace("'", "''") + "'");
            }
            Path assembled = work.resolve("backup.zip");
            List<String> files = assemble(copy, dataDir, assembled);
            Files.move(assembled, target, StandardCopyOption.ATOMIC_MOVE);
            return new Written(target, files);
        } catch (SQLException e) {
            throw new BackupException("backup: H2 could not write the copy: " + ConnectionFailures.oneLine(e.getMessage(),
                    database.url()), e);
        } catch (IOException e) {
            throw new BackupException("backup: cannot write " + target + ": " + e, e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static List<String> assemble(Path h2Copy, Path dataDir, Path out) throws IOException {
        List<String> files = new java.util.ArrayList<>();
        try (OutputStream raw = Files.newOutputStream(Files.createFile(out, DataDirectory.ownerOnlyFile(out)));
                ZipOutputStream zip = new ZipOutputStream(raw);
                ZipInputStream h2 = new ZipInputStream(Files.newInputStream(h2Copy))) {
            for (ZipEntry e = h2.getNextEntry(); e != null; e = h2.getNextEntry()) {
                if (e.getName().equals(DATABASE_FILE)) {
                    zip.putNextEntry(new ZipEntry(DATABASE_FILE));
                    h2.transferTo(zip);
                    zip.closeEntry();
                    files.add(DATABASE_FILE);
                }
            }
            if (!files.contains(DATABASE_FILE)) {
                throw new IOException("H2's copy holds no " + DATABASE_FILE);
            }
            for (String name : KEPT_FILES) {
                Path file = dataDir.resolve(name);
                if (Files.isRegularFile(file)) {
                    zip.putNextEntry(new ZipEntry(name));
                    Files.copy(file, zip);
                    zip.closeEntry();
                    files.add(name);
                }
            }
        }
        return files;
    }

    /**
     * Restores {@code archive} into {@code dataDir} (created owner-only when missing).
     *
     * @throws BackupException when the archive is not a backup, or the directory holds a database
     * @throws EmbeddedDatabaseInUseException when a server uses {@code dataDir}
     */
    public static Written restore(Path archive, Path dataDir) {
        Path source = archive.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            throw new BackupException("restore: " + source + " does not exist or is not a file", null);
        }
        try (EmbeddedServerLock lock = EmbeddedServerLock.acquire(dataDir)) {
            Path dir = dataDir.toAbsolutePath().normalize();
            if (Files.exists(dir.resolve(DATABASE_FILE))) {
                throw new BackupException("restore: " + dir + " already holds a database (" + DATABASE_FILE + "); restore into"
                        + " an empty data directory (CASARE_DATA_DIR), or move this one away first", null);
            }
            Set<String> known = new HashSet<>(KEPT_FILES);
            known.add(DATABASE_FILE);
            List<String> files = new java.util.ArrayList<>();
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(source))) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    if (!known.contains(e.getName()) || files.contains(e.getName())) {
                        throw new BackupException("restore: " + source + " is not a backup of the orchestrator (unexpected entry "
                                + e.getName() + ")", null);
                    }
                    Path aside = dir.resolve(e.getName() + ".restoring");
                    Files.deleteIfExists(aside);
                    try (OutputStream out = Files.newOutputStream(Files.createFile(aside, DataDirectory.ownerOnlyFile(aside)),
                            StandardOpenOption.WRITE)) {
                        zip.transferTo(out);
                    }
                    files.add(e.getName());
                }
            }
            if (!files.contains(DATABASE_FILE) || !files.contains(EmbeddedDatabase.PASSWORD_FILE)) {
                files.forEach(f -> deleteQuietly(dir.resolve(f + ".restoring")));
                throw new BackupException("restore: " + source + " is not a backup of the orchestrator (it needs "
                        + DATABASE_FILE + " and " + EmbeddedDatabase.PASSWORD_FILE + ")", null);
            }
            for (String f : files) {
                Files.move(dir.resolve(f + ".restoring"), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            return new Written(dir, files);
        } catch (java.util.zip.ZipException e) {
            throw new BackupException("restore: " + source + " is not a zip file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BackupException("restore: cannot restore " + source + " into " + dataDir + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temporary file left in a private directory
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    /** A backup or restore that could not be done; the message says why and what to do. */
    public static final class BackupException extends StoreException {
        BackupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
