package com.casarerpa.orchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The migrations of this build, read from the classpath, so tests that print schema versions do
 * not change each time a migration is added.
 */
public final class SchemaVersions {
    private static final Pattern FILE = Pattern.compile("V(\\d+)__.*\\.sql");
    private static final List<Integer> VERSIONS = scan();

    /** The newest version, as Flyway prints it ({@code "3"}). */
    public static final String LATEST = String.valueOf(VERSIONS.getLast());
    /** How many migrations there are. */
    public static final int COUNT = VERSIONS.size();

    private SchemaVersions() {}

    /** {@code "1 migration"}, {@code "3 migrations"}. */
    public static String migrations(String adjective) {
        return COUNT + " " + (adjective.isEmpty() ? "" : adjective + " ") + "migration" + (COUNT == 1 ? "" : "s");
    }

    /**
     * The versions in the common folder and in the vendor folders (a vendor migration has a file
     * of the same version in each vendor folder, so either database has all of these).
     */
    private static List<Integer> scan() {
        return Stream.of("common", "postgresql", "h2").flatMap(SchemaVersions::versionsIn).distinct()
                .sorted(Comparator.naturalOrder()).toList();
    }

    private static Stream<Integer> versionsIn(String folder) {
        URL url = SchemaVersions.class.getClassLoader().getResource("db/migration/" + folder);
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.map(p -> FILE.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
