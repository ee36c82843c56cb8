package com.casarerpa.orchestrator.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What kind of failure a job had, so that failures differing only in their particulars group
 * together: the error type and the first line of the message with the parts that vary from one
 * run to the next replaced by placeholders, in this order: quoted values ({@code <q>}), URLs
 * ({@code <url>}), UUIDs ({@code <uuid>}), file paths ({@code <path>}), e-mail addresses
 * ({@code <email>}), hexadecimal numbers and long hex runs ({@code <hex>}), ids of the form
 * {@code word_x1y2} or with digits among letters ({@code <id>}), and numbers ({@code <n>});
 * whitespace folded, at most {@value #MAX_PATTERN} characters. {@link #id()} is a short stable
 * hash of {@link #text()}: 16 lower-case hex characters, safe in a URL. A pure function.
 */
public record ErrorSignature(String text, String id) {
    public static final int MAX_PATTERN = 300;
    /** The length of {@link #id()}. */
    public static final int ID_LENGTH = 16;
    private static final Pattern ID_SHAPE = Pattern.compile("[0-9a-f]{" + ID_LENGTH + "}");

    private record Rule(Pattern pattern, String placeholder) {}

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("\"[^\"]*\"|'[^']*'|`[^`]*`"), "<q>"),
            new Rule(Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://\\S+"), "<url>"),
            new Rule(Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b"), "<uuid>"),
            new Rule(Pattern.compile("(?<![\\w<])(?:[A-Za-z]:)?(?:[\\\\/][\\w.~$@%+-]+){2,}[\\\\/]?"), "<path>"),
            new Rule(Pattern.compile("\\b[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+\\b"), "<email>"),
            new Rule(Pattern.compile("\\b0[xX][0-9a-fA-F]+\\b|\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b"), "<hex>"),
            new Rule(Pattern.compile("\\b[A-Za-z]+_[A-Za-z0-9]*\\d[A-Za-z0-9]*\\b|\\b(?=\\w*[A-Za-z])(?=\\w*\\d)\\w*[A-Za-z]\\d\\w*\\b"
                    + "|\\b(?=\\w*[A-Za-z])(?=\\w*\\d)\\w*\\d[A-Za-z]\\w*\\b"), "<id>"),
            new Rule(Pattern.compile("[-+]?\\b\\d+(?:[.,:]\\d+)*\\b"), "<n>"));
    private static final Pattern SPACES = Pattern.compile("\\s+");

    public ErrorSignature {
        if (!ID_SHAPE.matcher(id).matches()) {
            throw new IllegalArgumentException("not a signature id: " + id);
        }
    }

    /** The signature of an error; a missing type reads as {@code error}, a missing message as empty. */
    public static ErrorSignature of(Optional<String> type, Optional<String> message) {
        String text = type.map(String::strip).filter(t -> !t.isEmpty()).orElse("error") + ": "
                + normalise(message.orElse(""));
        return new ErrorSignature(text, hash(text));
    }

    /** The message's first non-blank line with its particulars replaced (see the type's contract). */
    public static String normalise(String message) {
        String line = message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        for (Rule r : RULES) {
            line = r.pattern().matcher(line).replaceAll(r.placeholder());
        }
        line = SPACES.matcher(line).replaceAll(" ").strip();
        return line.length() <= MAX_PATTERN ? line : line.substring(0, MAX_PATTERN);
    }

    /** True when {@code text} has the shape of an {@link #id()} (a filter's value is checked with it). */
    public static boolean isId(String text) {
        return ID_SHAPE.matcher(text).matches();
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, ID_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
