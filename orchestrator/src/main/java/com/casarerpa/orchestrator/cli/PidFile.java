package com.casarerpa.orchestrator.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The pid file of a running instance (one line: the pid, as service managers read it) and its
 * {@link InstanceInfo} beside it ({@code <pid file>.json}). A file whose process is gone, or
 * whose pid now belongs to another program, is stale: it is replaced, never obeyed.
 */
final class PidFile {
    private final Path file;

    PidFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path path() {
        return file;
    }

    Path infoPath() {
        return file.resolveSibling(file.getFileName() + ".json");
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** The pid the file names; empty without a file or a number in it. */
    Optional<Long> pid() {
        return read(file).map(String::strip).filter(s -> s.matches("\\d{1,19}")).map(Long::parseLong);
    }

    Optional<InstanceInfo> info() {
        return read(infoPath()).flatMap(InstanceInfo::parse);
    }

    /**
     * The process the file names, when it is alive and is the one that wrote it: the start time
     * in the info file matches; without an info file (a moment after {@link #claim}), its command
     * is a Java one.
     */
    Optional<ProcessHandle> liveProcess() {
        Optional<Long> pid = pid();
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return Optional.empty();
        }
        Optional<InstanceInfo> info = info().filter(i -> i.pid() == pid.get());
        if (info.isPresent()) {
            return process.filter(info.get()::describes);
        }
        return process.filter(p -> p.info().command().map(c -> c.contains("java")).orElse(true));
    }

    /**
     * Writes the files for this process. A file that is stale, or this process's own (a restart
     * in the same JVM), is replaced.
     *
     * @return false, writing nothing, when a live process holds the file
     */
    boolean claim(InstanceInfo info) {
        long self = ProcessHandle.current().pid();
        try {
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent(), OwnerOnly.attributes(OwnerOnly.DIRECTORY));
            }
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    createWith(file, self + "\n");
                    writeInfo(info);
                    return true;
                } catch (FileAlreadyExistsException e) {
                    Optional<ProcessHandle> holder = liveProcess();
                    if (holder.isPresent() && holder.get().pid() != self) {
                        return false;
                    }
                    Files.deleteIfExists(file); // stale, or ours: written again
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pid file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code target} with {@code content} at once (a reader never sees it empty): written
     * beside it, then linked to its name, which fails when the name exists.
     */
    private static void createWith(Path target, String content) throws IOException {
        Path tmp = written(target, content);
        try {
            Files.createLink(target, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void writeInfo(InstanceInfo info) throws IOException {
        Files.move(written(infoPath(), info.toJson()), infoPath(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** A new owner-only file beside {@code target} with {@code content}. */
    private static Path written(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp", OwnerOnly.attributes(OwnerOnly.FILE));
        Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return tmp;
    }

    /** Removes both files if they name {@code pid} (an instance that stopped, or stale ones); a later owner's stay. */
    void removeIfNaming(long pid) {
        if (pid().filter(p -> p == pid).isPresent()) {
            remove();
        }
    }

    /** Removes both files. */
    void remove() {
        try {
            Files.deleteIfExists(infoPath());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the pid file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> read(Path path) {
        try {
            return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
