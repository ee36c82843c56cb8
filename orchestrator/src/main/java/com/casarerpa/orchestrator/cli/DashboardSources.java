package com.casarerpa.orchestrator.cli;

import com.casarerpa.orchestrator.app.Orchestrator;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the dashboard's files are in a source checkout ({@value #RELATIVE}), for
 * {@code start --reload}: looked for under the working directory and above the orchestrator's
 * own jar or classes ({@code cli/target/lib/…}, {@code orchestrator/target/classes}).
 */
final class DashboardSources {
    static final String RELATIVE = "orchestrator/src/main/resources/dashboard";
    private static final int LEVELS_UP = 5;

    private DashboardSources() {}

    static Optional<Path> find(Path workingDir) {
        List<Path> bases = new ArrayList<>();
        bases.add(workingDir);
        codeLocation().ifPresent(code -> {
            for (Path p = code; p != null && bases.size() <= LEVELS_UP + 1; p = p.getParent()) {
                bases.add(p);
            }
        });
        return bases.stream().map(b -> b.resolve(RELATIVE).toAbsolutePath().normalize())
                .filter(d -> Files.isRegularFile(d.resolve("index.html"))).findFirst();
    }

    private static Optional<Path> codeLocation() {
        try {
            var source = Orchestrator.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
