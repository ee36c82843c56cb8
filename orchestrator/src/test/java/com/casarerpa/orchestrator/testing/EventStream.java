package com.casarerpa.orchestrator.testing;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A small Server-Sent Events client over {@link HttpClient}, reading the live feed
 * ({@code GET /api/v1/events}) line by line as a browser's EventSource does: {@code id},
 * {@code event}, {@code data} and {@code retry} fields, comment lines counted, an event
 * dispatched at each blank line.
 */
public final class EventStream implements AutoCloseable {
    /** One event as dispatched: {@code event} is {@code message} when the server named none. */
    public record Event(String id, String event, String data) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final HttpResponse<InputStream> response;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Integer retry;
    private volatile int comments;

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread.ofVirtual().name("event-stream-reader").start(this::read);
        } else {
            ended.countDown();
        }
    }

    /** Opens {@code /api/v1/events?query} (query may be empty) with these headers. */
    public static EventStream open(int port, String query, Map<String, String> headers) {
        return open(CLIENT, "http://127.0.0.1:" + port, query, headers);
    }

    /** Opens {@code base/api/v1/events?query} through {@code client} (one with an SSL context for https). */
    public static EventStream open(HttpClient client, String base, String query, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/events"
                + (query.isEmpty() ? "" : "?" + query))).header("Accept", "text/event-stream").GET();
        headers.forEach(b::header);
        try {
            return new EventStream(client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    /** The body of an answer that was not a stream (an error). */
    public String errorBody() {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        Event e = new Event(id, event == null ? "message" : event, data.toString());
                        all.add(e);
                        events.add(e);
                    }
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments++;
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        case "retry" -> retry = Integer.valueOf(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // closed by the test or the server
        } finally {
            ended.countDown();
        }
    }

    /** The next event not yet taken, waiting up to {@code within}; empty when none came. */
    public Optional<Event> poll(Duration within) {
        try {
            return Optional.ofNullable(events.poll(within.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The next event not yet taken that matches, skipping others, waiting up to {@code within} in all. */
    public Event next(Predicate<Event> matches, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            Optional<Event> e = poll(Duration.ofNanos(end - System.nanoTime()));
            if (e.isPresent() && matches.test(e.get())) {
                return e.get();
            }
        }
        throw new AssertionError("no matching event within " + within + "; received: " + all);
    }

    /** The next {@code change} event of this kind and id reaching state {@code to}. */
    public Event nextChange(String kind, String id, String to, Duration within) {
        return next(e -> e.event().equals("change") && e.json().path("kind").asText().equals(kind)
                && e.json().path("id").asText().equals(id) && e.json().path("to").asText().equals(to), within);
    }

    /** Every event received so far, taken or not. */
    public List<Event> received() {
        return new ArrayList<>(all);
    }

    /** The {@code retry} field the server sent; null before it came. */
    public Integer retry() {
        return retry;
    }

    public int comments() {
        return comments;
    }

    /** True when the server ended the stream within {@code within}. */
    public boolean endsWithin(Duration within) {
        try {
            return ended.await(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // gone already
        }
    }
}
