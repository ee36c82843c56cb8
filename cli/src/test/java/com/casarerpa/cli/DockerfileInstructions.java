package com.casarerpa.cli;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instructions of a Dockerfile, as far as the tests need them: continuation lines joined,
 * comments dropped, the JSON (exec) forms of ENTRYPOINT, CMD and HEALTHCHECK read as lists.
 */
final class DockerfileInstructions {
    /** One instruction: its keyword in capitals and the rest of the line. */
    record Instruction(String keyword, String arguments) {}

    /** A COPY: its sources (paths of the build context, or of another stage), its target. */
    record Copy(List<String> sources, String target, boolean fromStage) {}

    private final List<Instruction> instructions;

    private DockerfileInstructions(List<Instruction> instructions) {
        this.instructions = instructions;
    }

    static DockerfileInstructions read(Path file) throws IOException {
        List<Instruction> found = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            String whole = pending.append(trimmed).toString().strip();
            pending.setLength(0);
            String[] parts = whole.split("\\s+", 2);
            found.add(new Instruction(parts[0].toUpperCase(java.util.Locale.ROOT), parts.length > 1 ? parts[1] : ""));
        }
        return new DockerfileInstructions(found);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The instructions after the last FROM: the image that runs. */
    DockerfileInstructions finalStage() {
        int last = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return new DockerfileInstructions(instructions.subList(last, instructions.size()));
    }

    /** The variables every ENV sets ({@code ENV A=1 B="two words"}). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : all("ENV")) {
            for (String pair : words(i.arguments())) {
                int eq = pair.indexOf('=');
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return env;
    }

    /** Every COPY, its options ({@code --chmod=…}) left out. */
    List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (Instruction i : all("COPY")) {
            List<String> words = words(i.arguments());
            boolean fromStage = words.stream().anyMatch(w -> w.startsWith("--from="));
            List<String> paths = words.stream().filter(w -> !w.startsWith("--")).toList();
            copies.add(new Copy(paths.subList(0, paths.size() - 1), paths.get(paths.size() - 1), fromStage));
        }
        return copies;
    }

    /** The exec form of the last {@code keyword} ({@code CMD ["orchestrator", "start"]}). */
    List<String> execForm(String keyword) throws IOException {
        List<Instruction> found = all(keyword);
        String arguments = found.get(found.size() - 1).arguments();
        return Json.mapper().readValue(arguments.substring(arguments.indexOf('[')), new TypeReference<List<String>>() {});
    }

    /** Splits at white space outside double quotes, dropping the quotes. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }
}
