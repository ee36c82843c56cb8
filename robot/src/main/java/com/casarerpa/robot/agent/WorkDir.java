package com.casarerpa.robot.agent;

import com.casarerpa.common.cli.CommandFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The robot's own directory: {@code robot.lock} (held while a robot runs, so two robots never
 * share an identity), {@code robot-id} (the id from the first {@code registered}, sent on every
 * later connection) and {@code status.json} (what {@code casare-rpa robot status} shows).
 */
public final class WorkDir implements AutoCloseable {
    static final String LOCK = "robot.lock";
    static final String ID = "robot-id";
    public static final String STATUS = "status.json";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkDir(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws CommandFailure when another robot runs with this work dir, or it cannot be created
     */
    public static WorkDir open(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new CommandFailure("another robot is running with work dir " + dir
                        + "; give each robot its own --work-dir (see 'casare-rpa robot status --work-dir " + dir + "')");
            }
            return new WorkDir(dir, channel, lock);
        } catch (IOException e) {
            throw new CommandFailure("cannot use work dir " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether a robot process holds the lock of {@code dir} right now. */
    public static boolean inUse(Path dir) {
        Path file = dir.resolve(LOCK);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by this very JVM (a robot started in-process)
        } catch (IOException e) {
            return false;
        }
    }

    public Path dir() {
        return dir;
    }

    Optional<String> storedRobotId() {
        Path file = dir.resolve(ID);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).strip()).filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void storeRobotId(String id) {
        writeAtomically(ID, id + "\n");
    }

    void writeStatus(String json) {
        writeAtomically(STATUS, json);
    }

    private void writeAtomically(String name, String text) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending; the OS drops the lock anyway
        }
    }
}
