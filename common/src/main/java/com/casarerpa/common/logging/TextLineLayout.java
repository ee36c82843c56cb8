package com.casarerpa.common.logging;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code text} log format: one readable line per event,
 * {@code 2025-01-31T09:15:02.113+01:00 INFO  c.c.o.dispatch.Dispatcher [job_id=j-17 robot_id=r-2] job assigned},
 * followed by the stack trace when there is one. The MDC fields in brackets appear only when set;
 * request, job and robot ids come first in that order.
 */
final class TextLineLayout extends LayoutBase<ILoggingEvent> {
    private static final List<String> FIRST_MDC_KEYS = List.of("request_id", "job_id", "robot_id");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

    private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(36);

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
        String level = event.getLevel().toString();
        line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        line.append(abbreviator.abbreviate(event.getLoggerName()));
        appendMdc(line, event.getMDCPropertyMap());
        line.append(' ').append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }

    private static void appendMdc(StringBuilder line, Map<String, String> mdc) {
        if (mdc == null || mdc.isEmpty()) {
            return;
        }
        Map<String, String> rest = new TreeMap<>(mdc);
        StringBuilder fields = new StringBuilder();
        for (String key : FIRST_MDC_KEYS) {
            String value = rest.remove(key);
            if (value != null) {
                fields.append(fields.isEmpty() ? "" : " ").append(key).append('=').append(value);
            }
        }
        rest.forEach((key, value) -> fields.append(fields.isEmpty() ? "" : " ").append(key).append('=').append(value));
        line.append(" [").append(fields).append(']');
    }
}
