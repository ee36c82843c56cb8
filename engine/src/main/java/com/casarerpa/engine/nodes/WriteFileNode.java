package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.Node;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.node.NodeResult;
import com.casarerpa.engine.value.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes {@code content} to {@code file_path} (relative to the work dir, confined to it by
 * default): text in {@code encoding} (maps and lists as JSON), or Base64-decoded bytes with
 * {@code binary_mode}; {@code append_mode} appends; {@code create_dirs} (default true) creates
 * parent directories. Outputs {@code file_path} (absolute), {@code attachment_file},
 * {@code bytes_written}, {@code success}. Confined to the work dir, it writes no file that is a
 * symbolic link.
 */
public final class WriteFileNode implements Node {
    @Override
    public NodeResult execute(NodeContext ctx) throws Exception {
        Path path = WorkDirPaths.resolve(ctx.settings(), ctx.text("file_path", ""), "file_path");
        Object content = ctx.param("content");
        if (content == null) {
            throw NodeFailure.config("WriteFileNode '" + ctx.nodeId() + "' needs 'content' (config or input port)");
        }
        byte[] bytes;
        if (ctx.flag("binary_mode", false)) {
            try {
                bytes = Base64.getDecoder().decode(Values.text(content).trim());
            } catch (IllegalArgumentException e) {
                throw NodeFailure.config("binary_mode content must be Base64: " + e.getMessage());
            }
        } else {
            bytes = Values.text(content).getBytes(TextFiles.charset(ctx));
        }
        if (ctx.flag("create_dirs", true) && path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        write(path, bytes, ctx.flag("append_mode", false), !ctx.settings().filesAnywhere());
        String written = path.toString();
        return NodeResult.next(NodeResult.outputs("file_path", written, "attachment_file", List.of(written),
                "bytes_written", (long) bytes.length, "success", true));
    }

    /** Confined, the file itself must not be a link: one put there after the path was checked is not followed either. */
    private static void write(Path path, byte[] bytes, boolean append, boolean confined) throws IOException {
        List<OpenOption> options = new ArrayList<>(List.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING));
        if (confined) {
            options.add(LinkOption.NOFOLLOW_LINKS);
        }
        try {
            Files.write(path, bytes, options.toArray(OpenOption[]::new));
        } catch (IOException e) {
            if (confined && Files.isSymbolicLink(path)) {
                throw new NodeFailure("PathNotAllowed", "file_path " + path + " is a symbolic link; the robot writes no file"
                        + " through a link inside its work dir", false);
            }
            throw e;
        }
    }
}
