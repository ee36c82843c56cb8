package com.casarerpa.engine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What RunCommandNode may run on this robot. The robot's configuration decides it; nothing a
 * workflow says widens it.
 *
 * <p>A program runs only when it is on the allow-list: a command written as a bare name must be
 * an entry's exact name, and a command written as a path must resolve (against the working
 * directory, {@code ..} removed, links not followed) to the absolute path of an entry. Links are
 * not followed because a multi-call program such as busybox chooses what to be by the name it is
 * started as: {@code /bin/sh} and {@code /bin/ls} may be the same file. The allow-list is the
 * only defence: a program that starts other programs (a shell, {@code env}, {@code xargs},
 * {@code find}, {@code busybox}, an interpreter such as {@code python} or {@code node}) lets a
 * workflow run anything.
 *
 * @param enabled      RunCommandNode runs at all
 * @param executables  the allow-list: a command as a workflow may write it (a bare name, or an
 *                     absolute path) to the absolute path that runs
 * @param allowShell   {@code shell: true} may pass the line to {@code /bin/sh -c} ({@code cmd /c}),
 *                     which runs anything
 * @param environment  the child's whole environment: the robot's own is not inherited
 */
public record CommandPolicy(boolean enabled, Map<String, Path> executables, boolean allowShell, Map<String, String> environment) {
    /** RunCommandNode fails with CommandDisabled. */
    public static final CommandPolicy DISABLED = new CommandPolicy(false, Map.of(), false, Map.of());

    public CommandPolicy {
        executables = Map.copyOf(executables);
        environment = Map.copyOf(environment);
    }

    /**
     * An enabled policy. Each entry of {@code allowed} is a bare name, looked up now on
     * {@code searchPath} (the robot's {@code PATH}), or an absolute path; either must name an
     * executable file.
     *
     * @throws IllegalArgumentException naming an entry that is neither, or that is not found
     */
    public static CommandPolicy allowing(Collection<String> allowed, boolean allowShell, Map<String, String> environment,
            String searchPath) {
        Map<String, Path> executables = new LinkedHashMap<>();
        for (String entry : allowed) {
            executables.put(entry, locate(entry, searchPath));
        }
        return new CommandPolicy(true, executables, allowShell, environment);
    }

    /** The program to start for a workflow's command word, or empty when the allow-list does not hold it. */
    public Optional<Path> program(String command, Path workingDir) {
        if (!hasSeparator(command)) {
            return Optional.ofNullable(executables.get(command));
        }
        try {
            Path path = workingDir.resolve(command).toAbsolutePath().normalize();
            return executables.containsValue(path) ? Optional.of(path) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Path locate(String entry, String searchPath) {
        if (entry.isBlank() || !entry.strip().equals(entry)) {
            throw new IllegalArgumentException("'" + entry + "' is not a program name or an absolute path");
        }
        if (hasSeparator(entry)) {
            Path path = Path.of(entry);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("'" + entry + "' is a relative path; give an absolute path or a bare name");
            }
            Path normal = path.normalize();
            if (!isProgram(normal)) {
                throw new IllegalArgumentException(entry + " is not an executable file");
            }
            return normal;
        }
        for (String dir : Objects.requireNonNullElse(searchPath, "").split(File.pathSeparator)) {
            for (String name : candidates(entry)) {
                if (!dir.isBlank()) {
                    Path path = Path.of(dir, name).toAbsolutePath().normalize();
                    if (isProgram(path)) {
                        return path;
                    }
                }
            }
        }
        throw new IllegalArgumentException("'" + entry + "' is not found on the robot's PATH; give its absolute path");
    }

    /** The name itself, and on Windows the name with each extension of PATHEXT. */
    private static List<String> candidates(String name) {
        List<String> names = new ArrayList<>(List.of(name));
        if (File.separatorChar == '\\') {
            String exts = Objects.requireNonNullElse(System.getenv("PATHEXT"), ".COM;.EXE;.BAT;.CMD");
            for (String ext : exts.split(";")) {
                names.add(name + ext.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static boolean isProgram(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    private static boolean hasSeparator(String command) {
        return command.indexOf('/') >= 0 || command.indexOf(File.separatorChar) >= 0;
    }
}
