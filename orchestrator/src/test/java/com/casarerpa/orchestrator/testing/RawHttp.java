package com.casarerpa.orchestrator.testing;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.0 over a plain socket, for what {@link java.net.http.HttpClient} will not do: send from a
 * chosen local address (another loopback address plays a proxy or a client elsewhere) and set
 * the {@code Host} header. One request per connection; the server closes it after the answer.
 */
public final class RawHttp {
    private final String localAddress;
    private final int port;

    /** Requests to {@code 127.0.0.1:port} from {@code localAddress} (any of 127.0.0.0/8). */
    public RawHttp(String localAddress, int port) {
        this.localAddress = localAddress;
        this.port = port;
    }

    public record Response(int status, List<String> headerLines, String body) {
        /** Every value of a header, in order. */
        public List<String> headers(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headerLines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).strip()).toList();
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    public Response get(String path, Map<String, String> headers) {
        return send("GET", path, headers, null);
    }

    public Response post(String path, String json, Map<String, String> headers) {
        return send("POST", path, headers, json);
    }

    /** {@code headers} may hold {@code Host}; without one, {@code Host: 127.0.0.1:port} is sent. */
    public Response send(String method, String path, Map<String, String> headers, String json) {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.0\r\n");
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Host"))) {
            request.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            List<String> lines = new ArrayList<>(List.of(answer.substring(0, end).split("\r\n")));
            int status = Integer.parseInt(lines.removeFirst().split(" ")[1]);
            return new Response(status, lines, answer.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
