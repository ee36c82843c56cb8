package com.casarerpa.orchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The migrations this build ships, read from the classpath, so tests state "the latest
 * version" without being edited each time a migration is added.
 */
public final class TestMigrations {
    private TestMigrations() {}

    /** Versions in order ({@code "1"}, {@code "2"}, …) of the common migrations. */
    public static List<String> versions() {
        try {
            Path dir = Path.of(TestMigrations.class.getClassLoader().getResource("db/migration/common").toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString())
                        .filter(n -> n.matches("V\\d+__.*\\.sql"))
                        .map(n -> n.substring(1, n.indexOf("__")))
                        .sorted(Comparator.comparingInt(Integer::parseInt))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String latest() {
        return versions().getLast();
    }

    public static int count() {
        return versions().size();
    }

    /** "1 migration" / "3 migrations", as the commands print counts. */
    public static String counted() {
        return count() + (count() == 1 ? " migration" : " migrations");
    }
}
