package com.casarerpa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The release archive that {@code mvn package} built, unpacked into a directory the way an operator
 * unpacks it, and the bare machine it runs on: a {@code PATH} of a few system tools (no Maven, no
 * java, nothing of the repository) and {@code JAVA_HOME} pointing at the JDK that runs the tests.
 */
final class ReleaseArchive {
    static final Path FILE = Path.of(System.getProperty("casare.archive", "target/casare-rpa.tar.gz")).toAbsolutePath();
    static final String VERSION = System.getProperty("casare.version", "0.1.0-SNAPSHOT");
    static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    /** What the launchers, the container scripts and the tests' shell commands use, and no more. */
    private static final List<String> TOOLS = List.of("bash", "sh", "env", "dirname", "readlink", "sed", "head", "sort",
            "ls", "cat", "curl");

    private ReleaseArchive() {}

    /** Unpacks the archive into {@code dir} and returns its top directory, {@code casare-rpa-<version>}. */
    static Path unpack(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process tar = new ProcessBuilder("tar", "-xzf", FILE.toString(), "-C", dir.toString()).inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tar -xzf " + FILE).isTrue();
        Path home = dir.resolve("casare-rpa-" + VERSION);
        assertThat(home).isDirectory();
        return home;
    }

    /**
     * A directory with one script per tool of {@link #TOOLS} that runs the system's: the whole
     * {@code PATH} of a bare machine. (Scripts rather than links, which JUnit warns about when it
     * deletes them.)
     */
    static Path tools(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String tool : TOOLS) {
            Path found = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream().filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new AssertionError("the test needs /usr/bin/" + tool));
            Path script = dir.resolve(tool);
            Files.writeString(script, "#!/bin/sh\nexec " + found + " \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /** The environment of the bare machine: {@code path} as its {@code PATH}, {@code JAVA_HOME}, and {@code extra}. */
    static Map<String, String> machine(String path, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", path);
        env.put("JAVA_HOME", JAVA_HOME.toString());
        env.putAll(extra);
        return env;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
