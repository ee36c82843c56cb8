package com.casarerpa.orchestrator.api;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers before a request reaches Javalin (a malformed URI or header, a request
 * arriving while the server stops) in the API's one error body instead of Jetty's HTML page, so
 * every answer of the server is JSON a client can parse ({@link ErrorBody}).
 */
final class JettyErrors extends ErrorHandler {
    /** Seconds a client is asked to wait when this instance is stopping (another one may answer sooner). */
    private static final int STOPPING_RETRY_AFTER_SECONDS = 5;

    /** Jetty writes no body for the errors of PUT, PATCH, DELETE… by default; ours have one for every method. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        String requestId = RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER));
        response.getHeaders().put(RequestIds.HEADER, requestId);
        if (code == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(STOPPING_RETRY_AFTER_SECONDS));
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(ResponseHeaders.CONTENT_TYPE_OPTIONS, ResponseHeaders.NOSNIFF);
        response.write(true, ByteBuffer.wrap(body(code, message, requestId)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(ResponseHeaders.CONTENT_TYPE_OPTIONS, ResponseHeaders.NOSNIFF);
        return ByteBuffer.wrap(body(status, reason, RequestIds.acceptOrGenerate(null)));
    }

    private static byte[] body(int code, String message, String requestId) {
        String text = code == 503
                ? "This instance is shutting down or not ready; retry in a moment (another instance may answer at once)."
                : "The request could not be read: " + (message == null || message.isBlank() ? "HTTP " + code : message) + ".";
        try {
            return Json.mapper().writeValueAsBytes(ErrorBody.of(ErrorMapper.codeFor(code), text, ErrorMapper.retryable(code), Map.of(), requestId));
        } catch (JsonProcessingException e) {
            return ("{\"error\":{\"code\":\"internal_error\"}}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
