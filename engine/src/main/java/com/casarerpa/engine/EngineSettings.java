package com.casarerpa.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Robot-side settings of the engine.
 *
 * @param workDir               relative file paths resolve here; file nodes stay inside it unless {@code filesAnywhere}
 * @param filesAnywhere         file nodes may use any path
 * @param runCommandEnabled     RunCommandNode may run; when off it fails with a clear error
 * @param allowPrivateNetworks  HttpRequestNode may call loopback and private addresses
 * @param nodeTimeout           the longest one node may take, or {@code null} for none
 */
public record EngineSettings(
        Path workDir, boolean filesAnywhere, boolean runCommandEnabled, boolean allowPrivateNetworks, Duration nodeTimeout) {
    public EngineSettings {
        Objects.requireNonNull(workDir, "workDir");
    }
}
