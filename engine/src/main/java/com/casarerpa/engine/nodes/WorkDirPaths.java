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
 * Paths used by file nodes and RunCommandNode's {@code working_dir}: {@code $VAR}/{@code ${VAR}}
 * environment references left after interpolation are expanded, a relative path resolves against
 * the robot's work dir, and unless {@link EngineSettings#filesAnywhere()} the result (symbolic
 * links followed) must stay inside the work dir.
 */
final class WorkDirPaths {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

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
            path = settings.workDir().resolve(expandEnvironment(raw.trim(), System.getenv())).normalize().toAbsolutePath();
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

    /** The path with symbolic links resolved as far as it exists (a file to be created may not). */
    private static Path realPath(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            return path;
        }
    }

    private static boolean inside(Path path, Path dir) {
        return path.startsWith(dir);
    }
}
