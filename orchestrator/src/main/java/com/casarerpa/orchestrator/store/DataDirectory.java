package com.casarerpa.orchestrator.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory of the embedded database holds the database, its password, the signing key
 * and the lock: only the account that runs the orchestrator may enter it (0700) or read a file in
 * it (0600). New files are created so; wider ones found there (made by an older version, or by
 * H2, which creates files with the process's umask) are narrowed.
 *
 * <p>On file systems without POSIX permissions (Windows) nothing is changed: the directory's own
 * access rules apply.
 */
public final class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    /** The file of the embedded quick start's generated JWT signing key. */
    public static final String SIGNING_KEY_FILE = "secret.key";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {}

    /**
     * Creates {@code dir} owner-only when missing, or narrows it and every file in it, with a
     * warning for each one that was readable by others.
     *
     * @return the directory, absolute
     * @throws InsecureEmbeddedDatabaseException when every user may write into it (e.g. /tmp):
     *     narrowing such a shared directory would break the system, and files planted there cannot
     *     be trusted; or when it cannot be created or narrowed (another account owns it, say)
     */
    public static Path secure(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(absolute)) {
                Files.createDirectories(absolute, ownerOnly(absolute, OWNER_ONLY_DIRECTORY));
            }
            if (!isPosix(absolute)) {
                return absolute;
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(absolute);
            if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new InsecureEmbeddedDatabaseException("the data directory " + absolute + " is writable by every user ("
                        + PosixFilePermissions.toString(mode) + "); give the orchestrator a directory of its own"
                        + " (orchestrator.data_dir, CASARE_DATA_DIR)");
            }
            narrow(absolute, mode, OWNER_ONLY_DIRECTORY, true);
            narrowFiles(absolute, true);
            return absolute;
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied: " + e.getMessage() : e.getMessage();
            throw new InsecureEmbeddedDatabaseException("cannot make the data directory " + absolute
                    + " private to this account (" + reason + "); run the orchestrator and its commands as the account"
                    + " that owns it", e);
        }
    }

    /**
     * Narrows, without a warning, the files H2 has just created in {@code dir} with the umask
     * (database and lock files); the directory itself already keeps others out. Never
     * throws: it runs while connecting and closing, whose own errors are the ones to report.
     */
    static void narrowNewFiles(Path dir) {
        try {
            if (isPosix(dir) && Files.isDirectory(dir)) {
                narrowFiles(dir, false);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot make the files of {} owner-only: {}", dir, e.getMessage());
        }
    }

    /**
     * The random secret kept in {@code file}, created (owner-only, {@code randomBytes} bytes,
     * Base64url) when missing. It appears whole or not at all (written aside, then linked into
     * place), so a process that starts at the same moment reads either nothing or all of it; when
     * two create it at once, both use the one linked first.
     */
    public static String readOrCreateSecret(Path file, int randomBytes) {
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[randomBytes];
                new SecureRandom().nextBytes(bytes);
                Path aside = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".new");
                try {
                    Files.deleteIfExists(aside); // left by a crash of an earlier process with this pid
                    writeNew(aside, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n");
                    Files.createLink(file, aside);
                } catch (FileAlreadyExistsException raced) {
                    // another process linked its own first: use theirs
                } finally {
                    Files.deleteIfExists(aside);
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a new file that only its owner may read, owner-only from the moment it exists.
     *
     * @throws FileAlreadyExistsException when it exists
     */
    public static void writeNew(Path file, String content) throws IOException {
        try (SeekableByteChannel out = Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnlyFile(file))) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        }
    }

    /** The attribute that creates {@code file} owner-only, where the file system has POSIX permissions. */
    static FileAttribute<?>[] ownerOnlyFile(Path file) {
        return ownerOnly(file, OWNER_ONLY_FILE);
    }

    /** The attribute that creates directory {@code dir} owner-only, where the file system has POSIX permissions. */
    static FileAttribute<?>[] ownerOnlyDirectory(Path dir) {
        return ownerOnly(dir, OWNER_ONLY_DIRECTORY);
    }

    private static FileAttribute<?>[] ownerOnly(Path path, Set<PosixFilePermission> mode) {
        return isPosix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }

    private static void narrowFiles(Path dir, boolean warn) throws IOException {
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            // Links are left alone: narrowing one would change the file it points to, outside the directory.
            files = entries.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        for (Path file : files) {
            try {
                narrow(file, Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY_FILE, warn);
            } catch (NoSuchFileException gone) {
                // H2 deletes its lock file when the database closes
            }
        }
    }

    private static void narrow(Path path, Set<PosixFilePermission> mode, Set<PosixFilePermission> allowed, boolean warn)
            throws IOException {
        if (allowed.containsAll(mode)) {
            return;
        }
        Set<PosixFilePermission> narrowed = EnumSet.copyOf(allowed);
        narrowed.retainAll(mode);
        Files.setPosixFilePermissions(path, narrowed);
        if (warn) {
            log.warn("{} was open to other users ({}); changed it to {} (only the orchestrator's account may use the data directory)",
                    path, PosixFilePermissions.toString(mode), PosixFilePermissions.toString(narrowed));
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
