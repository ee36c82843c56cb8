package com.casarerpa.orchestrator.paging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code cursor} of paginated listings: the sort key of the last item of a page,
 * as URL-safe base64 of a small JSON array. Clients must not build or read cursors.
 */
public final class PageCursor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> KEY = new TypeReference<>() {};

    private PageCursor() {}

    public static String encode(List<String> sortKey) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(sortKey));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a cursor this server made */
    public static List<String> decode(String cursor) {
        try {
            List<String> key = JSON.readValue(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8), KEY);
            if (key == null || key.isEmpty() || key.contains(null)) {
                throw new IllegalArgumentException("empty");
            }
            return key;
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new IllegalArgumentException("cursor is not one this server returned; pass next_cursor back unchanged", e);
        }
    }
}
