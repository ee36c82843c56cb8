package com.casarerpa.engine.nodes;

import com.casarerpa.engine.EngineSettings;
import com.casarerpa.engine.node.NodeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths used by file nodes and RunCommandNode's {@code working_dir}. Interpolation has already
 * put in the workflow's variables; {@code $VAR}/{@code ${VAR}} left after it expand only to the
 * robot's environment variables that its configuration exposes ({@link EngineSettings#environment()}),
 * never to the rest of the robot's environment. A relative path resolves against the robot's
 * work dir, and unless {@link EngineSettings#filesAnywhere()} the result must stay inside the
 * work dir with every symbolic link on the way followed, dangling ones included.
 */
final class WorkDirPaths {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    /** As the kernel's limit of links in one lookup (Linux: 40): more means a loop. */
    private static final int MAX_LINKS = 40;

    private WorkDirPaths() {}

    static Path resolve(EngineSettings settings, String raw, String what) {
        if (raw == null || raw.isBlank()) {
            throw NodeFailure.config(what + " is required");
        }
        if (raw.indexOf('\0') >= 0) {
            throw NodeFailure.config(what + " contains a NUL character");
        }
        Path path;
        try {
            path = settings.workDir().resolve(expandEnvironment(raw.trim(), settings.environment())).normalize().toAbsolutePath();
        } catch (InvalidPathException e) {
            throw NodeFailure.config(what + " '" + raw + "' is not a valid path: " + e.getReason());
        }
        if (!settings.filesAnywhere() && !inside(realPath(path), realPath(settings.workDir().toAbsolutePath().normalize()))) {
            throw new NodeFailure("PathNotAllowed", what + " '" + raw + "' is outside the robot's work dir "
                    + settings.workDir().toAbsolutePath() + " (allow it with the robot's files-anywhere setting)", false);
        }
        return path;
    }

    static String expandEnvironment(String text, Map<String, String> env) {
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1) != null ? m.group(1) : m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Where the path leads with every symbolic link followed: the part that exists resolved by
     * the file system, the rest (a file to be created) appended. A dangling link is followed by
     * hand to where it points, because a write through it would create its target.
     */
    static Path realPath(Path path) {
        Path current = path;
        for (int links = 0; links <= MAX_LINKS; links++) {
            Path existing = current;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return current;
            }
            Path rest = existing.relativize(current);
            try {
                return existing.toRealPath().resolve(rest).normalize();
            } catch (IOException dangling) {
                Path link = dangling(existing);
                current = link.getParent().resolve(readLink(link)).resolve(rest);
            }
        }
        throw new NodeFailure("PathNotAllowed", "too many symbolic links on the way to " + path, false);
    }

    /** The first component of {@code existing} that is a symbolic link the file system cannot resolve. */
    private static Path dangling(Path existing) {
        Path prefix = existing.getRoot();
        for (Path name : existing) {
            prefix = prefix == null ? name : prefix.resolve(name);
            if (Files.isSymbolicLink(prefix) && !Files.exists(prefix)) {
                return prefix;
            }
        }
        throw new NodeFailure("PathNotAllowed", "cannot resolve " + existing, false);
    }

    private static Path readLink(Path link) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw new NodeFailure("PathNotAllowed", "cannot read the symbolic link " + link + ": " + e.getMessage(), false);
        }
    }

    private static boolean inside(Path path, Path dir) {
        return path.startsWith(dir);
    }
}
