package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser of the browser tests starts, loads a page of a running server and shows its text. */
@Tag("browser")
class BrowserTest {
    @TempDir
    Path workDir;

    @Test
    void a_headless_chromium_reads_the_health_page() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, Map.of());
                Browser browser = Browser.start()) {
            browser.open(server.url() + "/health");
            assertThat(browser.bodyText()).contains("\"status\"");
        }
    }
}
