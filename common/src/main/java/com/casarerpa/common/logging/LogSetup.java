package com.casarerpa.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.casarerpa.common.config.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures Logback from {@link LoggingSettings}, replacing whatever configuration was active
 * (the quiet {@code logback.xml} that only shows warnings before a command has read its
 * configuration).
 *
 * <ul>
 *   <li>{@code text}: readable lines (time, level, logger, MDC ids, message), see {@link TextLineLayout};
 *   <li>{@code json}: one JSON object per line ({@link LogstashEncoder}), MDC entries such as
 *       {@code job_id} as top-level fields;
 *   <li>{@code path}: the same lines are appended to that file as well (parent directories are
 *       created);
 *   <li>{@code level} applies to the root logger. Jetty, HikariCP and Flyway are chatty, so they stay
 *       at WARN unless the level is DEBUG (then INFO) or TRACE (then TRACE, everything). The JDK's
 *       {@code java.lang.Runtime} logger stays at INFO at every level, so an exit is not logged.
 * </ul>
 * java.util.logging is routed to SLF4J, so libraries that use it obey the same settings.
 */
public final class LogSetup {
    private static final List<String> CHATTY_LIBRARIES = List.of("org.eclipse.jetty", "com.zaxxer.hikari", "org.flywaydb", "io.javalin");

    private static final String JDK_EXIT_LOGGER = "java.lang.Runtime";

    private LogSetup() {}

    /**
     * @throws ConfigException {@code logging.path: cannot write <file>: <reason>} when the file
     *                         cannot be created or appended to; logging is then left as it was
     */
    public static void apply(LoggingSettings settings, LogTarget target) {
        settings.path().ifPresent(LogSetup::checkWritable);
        LoggerContext context = loggerContext();
        context.reset();
        routeJavaUtilLogging(context);

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = Level.convertAnSLF4JLevel(settings.level());
        root.setLevel(level);
        Level chatty = level.isGreaterOrEqual(Level.INFO) ? maxOf(level, Level.WARN)
                : level == Level.DEBUG ? Level.INFO : Level.TRACE;
        CHATTY_LIBRARIES.forEach(name -> context.getLogger(name).setLevel(chatty));
        // The JDK (21+) logs every System.exit with a stack trace at DEBUG on this logger; a command
        // run with --debug would end with that trace, which reads like a failure.
        context.getLogger(JDK_EXIT_LOGGER).setLevel(Level.INFO);

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget(target == LogTarget.STDOUT ? "System.out" : "System.err");
        console.setEncoder(encoder(settings.format(), context));
        console.start();
        root.addAppender(console);

        settings.path().ifPresent(path -> {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(context);
            file.setName("file");
            file.setFile(path.toString());
            file.setAppend(true);
            file.setEncoder(encoder(settings.format(), context));
            file.start();
            root.addAppender(file);
        });
    }

    private static LoggerContext loggerContext() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            return context;
        }
        throw new IllegalStateException("logging is not backed by Logback but by "
                + LoggerFactory.getILoggerFactory().getClass().getName() + "; remove the other SLF4J provider from the classpath");
    }

    private static void routeJavaUtilLogging(LoggerContext context) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        // Sets the matching java.util.logging levels, so disabled JUL calls cost nothing.
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        propagator.start();
        context.addListener(propagator);
    }

    private static Encoder<ILoggingEvent> encoder(LogFormat format, LoggerContext context) {
        if (format == LogFormat.JSON) {
            LogstashEncoder json = new LogstashEncoder();
            json.setContext(context);
            json.start();
            return json;
        }
        TextLineLayout layout = new TextLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
        text.setContext(context);
        text.setLayout(layout);
        text.setCharset(StandardCharsets.UTF_8);
        text.start();
        return text;
    }

    private static void checkWritable(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                // Opening it is the test; Logback reopens it.
            }
        } catch (IOException e) {
            throw new ConfigException("logging.path: cannot write " + file + ": " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied" + (denied.getFile() == null ? "" : " on " + denied.getFile());
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage();
    }

    private static Level maxOf(Level a, Level b) {
        return a.isGreaterOrEqual(b) ? a : b;
    }
}
