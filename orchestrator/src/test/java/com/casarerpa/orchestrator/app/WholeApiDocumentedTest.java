package com.casarerpa.orchestrator.app;

import com.casarerpa.orchestrator.testing.OpenApiCoverage;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the fully wired server is in /openapi.json with its access, and nothing else is. */
class WholeApiDocumentedTest {
    @TempDir
    Path workDir;

    @Test
    void every_route_of_the_running_server_is_documented_with_its_access() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            OpenApiCoverage.assertMatches(server.orchestrator().endpoints());
        }
    }
}
