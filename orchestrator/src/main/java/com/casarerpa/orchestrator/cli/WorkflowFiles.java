package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reading workflow and export files, and writing export files, with one clear line for every
 * way a file can be wrong (missing, a directory, too large, not UTF-8, not JSON).
 */
final class WorkflowFiles {
    private WorkflowFiles() {}

    /** Parses the file as JSON with exact numbers; {@code maxBytes} bounds its size. */
    static JsonNode readJson(CliContext ctx, Path file, long maxBytes, String what) {
        Path path = ctx.resolve(file);
        String text;
        try {
            if (Files.isDirectory(path)) {
                throw new CommandFailure(file + " is a directory, not a " + what + " file");
            }
            long size = Files.size(path);
            if (size > maxBytes) {
                throw new CommandFailure(file + " is " + megabytes(size) + "; a " + what + " file may be at most "
                        + megabytes(maxBytes));
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path))).toString();
        } catch (NoSuchFileException e) {
            throw new CommandFailure("cannot read " + file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new CommandFailure(file + " is not a text file in UTF-8");
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) {
            throw new CommandFailure(file + " is empty; expected a " + what + " as JSON");
        }
        try {
            return WorkflowJson.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(file + " is not valid JSON: " + e.getMessage());
        }
    }

    /** Writes {@code json} pretty-printed, through a temporary file so a reader never sees half of it. */
    static void writeJson(CliContext ctx, Path file, JsonNode json) {
        Path path = ctx.resolve(file);
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                throw new CommandFailure("cannot write " + file + ": the directory " + dir + " does not exist");
            }
            Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
            Files.writeString(tmp, WorkflowJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CommandFailure("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
