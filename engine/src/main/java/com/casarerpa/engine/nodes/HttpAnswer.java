package com.casarerpa.engine.nodes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/**
 * A response as HttpRequestNode reports it: status, headers (names matched ignoring case) and
 * the body as text, read up to a size. A larger body fails the request, so one answer cannot
 * exhaust the robot's memory.
 */
record HttpAnswer(int status, Map<String, List<String>> headers, String body) {
    /** Java arrays stop a little below 2 GiB. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    static HttpAnswer read(ClassicHttpResponse response, long maxBody) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header h : response.getHeaders()) {
            headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return new HttpAnswer(response.getCode(), headers, "");
        }
        long limit = Math.min(Math.max(0, maxBody), MAX_ARRAY);
        InputStream in = entity.getContent(); // closed with the response, which drops the connection if it is not all read
        byte[] bytes = in.readNBytes((int) limit + 1);
        if (bytes.length > limit) {
            throw new IOException("the response body is larger than max_response_size (" + maxBody + " bytes)");
        }
        String type = headers.getOrDefault("Content-Type", List.of("")).getFirst();
        return new HttpAnswer(response.getCode(), headers, new String(bytes, charset(type)));
    }

    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static Charset charset(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").trim());
                } catch (IllegalArgumentException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
