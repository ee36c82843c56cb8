package com.casarerpa.orchestrator.api;

import com.casarerpa.common.cli.Version;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The hand-written OpenAPI 3.1 description of the REST API
 * ({@code orchestrator/src/main/resources/openapi/openapi.yaml}), with {@code info.version} set to
 * the running version. Written in YAML because people edit it; served as JSON.
 */
public final class OpenApiDocument {
    static final String RESOURCE = "/openapi/openapi.yaml";
    /** The extension field of every operation that names the route's {@link Access}. */
    public static final String ACCESS_FIELD = "x-casare-access";

    private final JsonNode tree;

    private OpenApiDocument(JsonNode tree) {
        this.tree = tree;
    }

    /**
     * Reads the document from the class path.
     *
     * @throws IllegalStateException when it is missing or not valid YAML (a build defect)
     */
    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not on the class path");
            }
            JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(in);
            ((ObjectNode) tree.path("info")).put("version", Version.current());
            return new OpenApiDocument(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI document " + RESOURCE + " cannot be read", e);
        }
    }

    /** The document as a tree; do not modify it. */
    public JsonNode tree() {
        return tree;
    }

    /** The document as compact JSON. */
    public String json() {
        return tree.toString();
    }
}
