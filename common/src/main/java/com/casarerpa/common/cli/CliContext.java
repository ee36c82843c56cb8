package com.casarerpa.common.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may read from the outside world: the environment, the working directory, its
 * standard input (a secret such as a password, never an argument) and its two output streams.
 * Commands never call {@code System.getenv}, {@code System.in} or {@code System.out} directly, so
 * tests run them in-process with an environment of their own.
 */
public record CliContext(Map<String, String> env, Path workingDir, PrintWriter out, PrintWriter err, InputStream in) {

    /** A context with nothing on standard input. */
    public CliContext(Map<String, String> env, Path workingDir, PrintWriter out, PrintWriter err) {
        this(env, workingDir, out, err, InputStream.nullInputStream());
    }

    public static CliContext system() {
        return new CliContext(
                System.getenv(),
                Path.of("").toAbsolutePath(),
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true),
                System.in);
    }

    /** A relative path is resolved against the working directory. */
    public Path resolve(Path path) {
        return workingDir.resolve(path).normalize();
    }
}
