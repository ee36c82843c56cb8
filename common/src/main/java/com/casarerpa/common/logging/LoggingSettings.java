package com.casarerpa.common.logging;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * The {@code logging.*} settings shared by the orchestrator and the robot.
 *
 * @param level  root level ({@code logging.level})
 * @param format text or json ({@code logging.format})
 * @param path   a file that receives the same lines as the console ({@code logging.path})
 */
public record LoggingSettings(Level level, LogFormat format, Optional<Path> path) {
    public static LoggingSettings defaults() {
        return new LoggingSettings(Level.INFO, LogFormat.TEXT, Optional.empty());
    }
}
