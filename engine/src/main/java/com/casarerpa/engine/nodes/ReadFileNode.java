package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads {@code file_path} (relative to the work dir, confined to it by default) as text in
 * {@code encoding} (default utf-8; {@code errors}: strict, ignore or replace) or, with
 * {@code binary_mode}, as Base64. Outputs {@code content}, {@code size} (bytes), {@code success}.
 * Fails on a missing file or one larger than {@code max_size} bytes (0 = no limit).
 */
public final class ReadFileNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) throws Exception {
        Path path = WorkDirPaths.resolve(ctx.settings(), ctx.text("file_path", ""), "file_path");
        long max = ctx.number("max_size", 0L).longValue();
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new NodeFailure("FileNotFound", "File not found: " + path, false);
        }
        if (max > 0 && size > max) {
            throw new NodeFailure("FileTooLarge", "File " + path + " has " + size + " bytes, more than max_size " + max, false);
        }
        byte[] bytes = Files.readAllBytes(path);
        Object content = ctx.flag("binary_mode", false)
                ? Base64.getEncoder().encodeToString(bytes)
                : decode(bytes, TextFiles.charset(ctx), ctx.text("errors", "strict"), path);
        return NodeResult.next(NodeResult.outputs("content", content, "size", (long) bytes.length, "success", true));
    }

    private static String decode(byte[] bytes, Charset charset, String errors, Path path) {
        CodingErrorAction action = switch (errors.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "ignore" -> CodingErrorAction.IGNORE;
            case "replace" -> CodingErrorAction.REPLACE;
            default -> CodingErrorAction.REPORT;
        };
        try {
            return charset.newDecoder().onMalformedInput(action).onUnmappableCharacter(action)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new NodeFailure("DecodeError", "File " + path + " is not valid " + charset.name()
                    + " text (set errors to 'replace' or 'ignore', or binary_mode)", false);
        }
    }
}
