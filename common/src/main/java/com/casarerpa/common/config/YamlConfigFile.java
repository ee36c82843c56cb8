package com.casarerpa.common.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML configuration file read against a {@link ConfigSchema}: the scalar values by dotted path,
 * each with its line. Unknown keys, a section written as a value, a value written as a section or
 * list, and YAML syntax errors are {@link ConfigException}s of one line naming the file and line.
 * Values are kept as text; {@code ${VAR}} references are expanded later, and only for the values
 * that are used (see {@link ConfigLoader}).
 *
 * <p>Error messages never quote a value of the file: a syntax error may be on the line of a secret.
 */
public record YamlConfigFile(Path file, Map<String, Value> values) {

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * @param text       the scalar as written (a null or empty value is absent from {@link #values()})
     * @param line       1-based line of the value
     * @param expandable whether it is a YAML string, in which {@code ${VAR}} is substituted
     */
    public record Value(String text, int line, boolean expandable) {}

    public YamlConfigFile {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The file to read: {@code explicit} when given (it must exist), else {@code defaultFile} when
     * it exists, else none.
     */
    public static Optional<Path> locate(Optional<Path> explicit, Path defaultFile) {
        if (explicit.isPresent()) {
            Path file = explicit.get();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("configuration file " + file
                        + (Files.exists(file) ? " is not a regular file" : " does not exist"));
            }
            return explicit;
        }
        return Files.isRegularFile(defaultFile) ? Optional.of(defaultFile) : Optional.empty();
    }

    public static YamlConfigFile read(Path file, ConfigSchema schema) {
        try (Reader reader = Files.newBufferedReader(file); JsonParser parser = YAML.createParser(reader)) {
            return new Reading(file, schema, parser).read();
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + " line " + line(e) + ": invalid YAML: " + problem(e));
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    public String origin(String path) {
        Value value = values.get(path);
        return value == null ? file.toString() : file + ":" + value.line();
    }

    private static int line(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    /** SnakeYAML's message spans lines and quotes the offending line; keep only the problem. */
    private static String problem(JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblem() != null) {
            return oneLine(marked.getProblem());
        }
        String message = e.getOriginalMessage();
        return message == null ? e.getClass().getSimpleName() : oneLine(message.lines().findFirst().orElse(message));
    }

    private static String oneLine(String s) {
        return s.replace("\t", "\\t").replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** One pass over the tokens; the first structural problem is thrown after the whole file parsed. */
    private static final class Reading {
        private final Path file;
        private final ConfigSchema schema;
        private final JsonParser parser;
        private final Map<String, Value> values = new LinkedHashMap<>();
        private ConfigException problem;

        Reading(Path file, ConfigSchema schema, JsonParser parser) {
            this.file = file;
            this.schema = schema;
            this.parser = parser;
        }

        YamlConfigFile read() throws IOException {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                readSection("");
            } else if (first != null && first != JsonToken.VALUE_NULL) {
                fail(file + " line " + line() + ": expected sections (" + String.join(", ", schema.keysUnder(""))
                        + ") at the top level, got " + describe(first));
                parser.skipChildren();
            }
            while (parser.nextToken() != null) {
                // Read to the end, so that a syntax error anywhere wins over a structural problem.
            }
            if (problem != null) {
                throw problem;
            }
            return new YamlConfigFile(file, values);
        }

        private void readSection(String section) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String path = section.isEmpty() ? parser.currentName() : section + "." + parser.currentName();
                int keyLine = line();
                JsonToken token = parser.nextToken();
                Optional<Setting<?>> setting = schema.setting(path);
                if (schema.isSection(path)) {
                    if (token == JsonToken.START_OBJECT) {
                        readSection(path);
                    } else if (!isEmpty(token)) {
                        fail(path + ": expected a section with the keys " + String.join(", ", schema.keysUnder(path))
                                + ", got " + describe(token) + " (" + file + ":" + keyLine + ")");
                        parser.skipChildren();
                    }
                } else if (setting.isPresent()) {
                    if (token.isScalarValue()) {
                        if (!isEmpty(token)) {
                            values.put(path, new Value(parser.getText(), line(), token == JsonToken.VALUE_STRING));
                        }
                    } else {
                        fail(path + ": expected " + setting.get().type().description() + ", got " + describe(token)
                                + " (" + file + ":" + keyLine + ")");
                        parser.skipChildren();
                    }
                } else {
                    fail(unknown(section, path, keyLine));
                    parser.skipChildren();
                }
            }
        }

        private String unknown(String section, String path, int keyLine) {
            String where = " (" + file + ":" + keyLine + ")";
            if (section.isEmpty()) {
                return path + ": unknown section" + where + "; the sections are " + String.join(", ", schema.keysUnder(""));
            }
            return path + ": unknown key" + where + "; the keys of " + section + " are "
                    + String.join(", ", schema.keysUnder(section));
        }

        private void fail(String message) {
            if (problem == null) {
                problem = new ConfigException(message);
            }
        }

        /** {@code queue:} with nothing after it: YAML reads an empty scalar. */
        private boolean isEmpty(JsonToken token) throws IOException {
            return token == JsonToken.VALUE_NULL || (token == JsonToken.VALUE_STRING && parser.getText().isEmpty());
        }

        private int line() {
            return parser.currentTokenLocation().getLineNr();
        }

        private static String describe(JsonToken token) {
            return switch (token) {
                case START_OBJECT -> "a mapping";
                case START_ARRAY -> "a list";
                default -> "a single value";
            };
        }
    }
}
