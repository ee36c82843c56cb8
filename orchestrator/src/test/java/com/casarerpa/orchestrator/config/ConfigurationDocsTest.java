package com.casarerpa.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md describes every key, with its specification variable, so the two stay in step. */
class ConfigurationDocsTest {
    @Test
    void every_key_and_its_named_variables_are_documented() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (Setting<?> setting : new OrchestratorSchema(Path.of("/")).schema().settings()) {
            assertThat(docs).as(setting.path()).contains("| `" + setting.path() + "` |");
            setting.envVars().forEach(name -> assertThat(docs).as(setting.path()).contains("`" + name + "`"));
            setting.defaultText().filter(d -> !d.equals("./data")).ifPresent(d ->
                    assertThat(docs).as(setting.path() + " default").containsPattern(
                            "\\| `" + java.util.regex.Pattern.quote(setting.path()) + "` \\|[^|]*\\| `"
                                    + java.util.regex.Pattern.quote(d) + "`"));
        }
    }
}
