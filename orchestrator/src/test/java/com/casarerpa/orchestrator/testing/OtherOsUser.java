package com.casarerpa.orchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as another local account, {@code nobody} (uid and gid 65534, no other groups),
 * with {@code setpriv}, to check what other users of the machine can do. That needs root: a test
 * run without root or without setpriv fails saying so; it never skips (CI runs as root).
 */
public final class OtherOsUser {
    public static final int NOBODY = 65534;

    private OtherOsUser() {}

    /** What the command printed (stdout and stderr together) and its exit code. */
    public record Run(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ": " + output;
        }
    }

    public static Run run(String... command) {
        requireRootAndSetpriv();
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        full.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after 60 s: " + full);
            }
            return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void requireRootAndSetpriv() {
        int uid;
        try {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new AssertionError("this test runs commands as another OS user and needs Linux (/proc/self): " + e);
        }
        if (uid != 0) {
            throw new AssertionError("this test runs commands as another OS user (nobody) and needs root; it runs as uid "
                    + uid + ". Run the test suite as root, as CI does.");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/setpriv")) && !Files.isExecutable(Path.of("/bin/setpriv"))) {
            throw new AssertionError("this test runs commands as another OS user with setpriv, which is not installed"
                    + " (Debian/Ubuntu: util-linux)");
        }
    }
}
