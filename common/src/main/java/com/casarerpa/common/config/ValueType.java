package com.casarerpa.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the text of a setting (from a flag, a variable or the YAML file) becomes a typed value.
 * Every source delivers text, so {@code port: "8080"} and {@code ORCHESTRATOR_PORT=8080} parse
 * the same way.
 *
 * <p>{@link #parse} throws {@link IllegalArgumentException} when the text is not acceptable; the
 * loader then reports {@code <key>: expected <description>, got "<text>"}, so the description
 * reads after "expected" ({@code an integer >= 0}).
 */
public interface ValueType<T> {

    /** What a valid value looks like, e.g. {@code an integer between 0 and 65535}. */
    String description();

    /** The value of {@code text} (never empty: an empty value counts as unset). */
    T parse(String text);

    /** The value as shown by {@code casare-rpa … config}. */
    default String format(T value) {
        return value.toString();
    }

    static ValueType<String> string() {
        return of("a string", text -> text, Object::toString);
    }

    static ValueType<Integer> integer(int min) {
        return integer(min, Integer.MAX_VALUE);
    }

    static ValueType<Integer> integer(int min, int max) {
        String description = max == Integer.MAX_VALUE
                ? "an integer >= " + min
                : "an integer between " + min + " and " + max;
        return of(description, text -> {
            int value = Integer.parseInt(text.strip());
            if (value < min || value > max) {
                throw new IllegalArgumentException("out of range");
            }
            return value;
        }, Object::toString);
    }

    /**
     * One of a fixed set of words, matched ignoring case. A value shows as the first word that
     * maps to it, so aliases ({@code WARNING} for {@code WARN}) go after the main spelling.
     */
    static <T> ValueType<T> choice(Map<String, T> words) {
        Map<String, T> byUpper = new LinkedHashMap<>();
        words.forEach((word, value) -> byUpper.put(word.toUpperCase(Locale.ROOT), value));
        String description = "one of " + String.join(", ", words.keySet());
        return of(description, text -> {
            T value = byUpper.get(text.strip().toUpperCase(Locale.ROOT));
            if (value == null) {
                throw new IllegalArgumentException("not a choice");
            }
            return value;
        }, value -> words.entrySet().stream()
                .filter(e -> e.getValue().equals(value))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(String.valueOf(value)));
    }

    /** {@code true}/{@code false}, {@code yes}/{@code no} or {@code on}/{@code off}, in any case. */
    static ValueType<Boolean> bool() {
        Map<String, Boolean> words = new LinkedHashMap<>();
        words.put("true", true);
        words.put("false", false);
        words.put("yes", true);
        words.put("no", false);
        words.put("on", true);
        words.put("off", false);
        return choice(words);
    }

    /** An IANA time zone id ({@code UTC}, {@code Europe/Berlin}) or a fixed offset ({@code +02:00}). */
    static ValueType<ZoneId> timeZone() {
        return of("an IANA time zone id such as UTC or Europe/Berlin", text -> {
            try {
                return ZoneId.of(text.strip());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, ZoneId::getId);
    }

    /** A file system path; a relative one is resolved against {@code base} (the working directory). */
    static ValueType<Path> path(Path base) {
        Objects.requireNonNull(base, "base");
        return of("a file system path", text -> {
            try {
                return base.resolve(text).normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, Path::toString);
    }

    /** An absolute {@code http://} or {@code https://} URL. */
    static ValueType<URI> httpUrl() {
        return of("an http:// or https:// URL", text -> {
            try {
                URI uri = new URI(text.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new IllegalArgumentException("not an http URL");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, URI::toString);
    }

    static <T> ValueType<T> of(String description, Function<String, T> parser, Function<T, String> formatter) {
        return new ValueType<>() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public T parse(String text) {
                return parser.apply(text);
            }

            @Override
            public String format(T value) {
                return formatter.apply(value);
            }
        };
    }
}
