package com.casarerpa.engine.nodes;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read as text, up to a size: a larger body cancels the download and fails
 * the request, so one answer cannot exhaust the robot's memory.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<String> {
    private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
    private final long limit;
    private final Charset charset;
    private Flow.Subscription subscription;
    private long received;
    private boolean over;

    private LimitedBody(long limit, Charset charset) {
        this.limit = limit;
        this.charset = charset;
    }

    static HttpResponse.BodyHandler<String> handler(long limit) {
        return info -> new LimitedBody(limit, charset(info.headers().firstValue("content-type").orElse("")));
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

    @Override
    public CompletionStage<String> getBody() {
        return bytes.getBody().thenApply(b -> new String(b, charset));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        bytes.onSubscribe(s);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (over) {
            return;
        }
        received += items.stream().mapToLong(ByteBuffer::remaining).sum();
        if (received > limit) {
            over = true;
            subscription.cancel();
            bytes.onError(new IOException("the response body is larger than max_response_size (" + limit + " bytes)"));
            return;
        }
        bytes.onNext(items);
    }

    @Override
    public void onError(Throwable error) {
        if (!over) {
            bytes.onError(error);
        }
    }

    @Override
    public void onComplete() {
        if (!over) {
            bytes.onComplete();
        }
    }
}
