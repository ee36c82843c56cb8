package com.casarerpa.common.logging;

import com.casarerpa.common.config.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.Level;

/** The value types of {@code logging.level} and {@code logging.format}, shared by the orchestrator and the robot. */
public final class LoggingValues {
    private LoggingValues() {}

    /** {@code TRACE} … {@code ERROR}, with {@code WARNING} as another spelling of {@code WARN}. */
    public static ValueType<Level> level() {
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put("TRACE", Level.TRACE);
        levels.put("DEBUG", Level.DEBUG);
        levels.put("INFO", Level.INFO);
        levels.put("WARN", Level.WARN);
        levels.put("WARNING", Level.WARN);
        levels.put("ERROR", Level.ERROR);
        return ValueType.choice(levels);
    }

    /** {@code text} or {@code json}. */
    public static ValueType<LogFormat> format() {
        Map<String, LogFormat> formats = new LinkedHashMap<>();
        formats.put("text", LogFormat.TEXT);
        formats.put("json", LogFormat.JSON);
        return ValueType.choice(formats);
    }
}
