package com.casarerpa.orchestrator.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure only one orchestrator server uses the embedded database of a data directory: an OS
 * file lock on {@code <dataDir>/orchestrator.lock}, which holds the pid of its holder. The OS
 * releases the lock when the process dies, so a crash leaves no stale lock to clean up.
 *
 * <p>Only the server takes it. CLI commands do not: H2's {@code AUTO_SERVER} lets them use the
 * database while the server holds it.
 */
public final class EmbeddedServerLock implements AutoCloseable {
    public static final String FILE_NAME = "orchestrator.lock";

    /**
     * Lock files held by this JVM. Checked before opening a second channel on the same file,
     * because on POSIX closing any descriptor of a file drops every lock the process holds on it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private EmbeddedServerLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDir} (created when missing, owner-only: {@link DataDirectory#secure})
     * and writes this process's pid.
     *
     * @throws EmbeddedDatabaseInUseException when another server (in this or another process) holds it
     */
    public static EmbeddedServerLock acquire(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path file = dir.resolve(FILE_NAME);
        if (!HELD.add(file)) {
            throw inUse(dir, file, OptionalLong.of(ProcessHandle.current().pid()));
        }
        FileChannel channel = null;
        try {
            DataDirectory.secure(dir);
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    DataDirectory.ownerOnlyFile(file));
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                OptionalLong pid = readPid(channel);
                channel.close();
                HELD.remove(file);
                throw inUse(dir, file, pid);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new EmbeddedServerLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD.remove(file);
            throw new UncheckedIOException("cannot lock the embedded database in " + dir + " (" + file + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(file);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Releases the lock. The file stays: deleting it would race with the next server taking it. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            if (lock.isValid()) {
                channel.truncate(0);
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file + ": " + e.getMessage(), e);
        } finally {
            HELD.remove(file);
        }
    }

    private static EmbeddedDatabaseInUseException inUse(Path dir, Path file, OptionalLong pid) {
        String holder = pid.isPresent()
                ? (pid.getAsLong() == ProcessHandle.current().pid() ? "by this process (pid " + pid.getAsLong() + ")"
                        : "by another orchestrator server (pid " + pid.getAsLong() + ")")
                : "by another orchestrator server";
        return new EmbeddedDatabaseInUseException(dir, pid,
                "the embedded database in " + dir + " is already in use " + holder + ", lock file " + file
                        + "; stop that server, or give this one its own data directory (CASARE_DATA_DIR),"
                        + " or set DATABASE_URL to a PostgreSQL database to run several instances");
    }

    private static OptionalLong readPid(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        try {
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the original error is the one to report
            }
        }
    }
}
