package com.casarerpa.orchestrator.api;

import java.io.IOException;

/**
 * The client stopped sending its request body before the end it announced: it closed the
 * connection, or stalled past the idle timeout. Nobody is left to read an answer; {@link ErrorMapper}
 * logs one DEBUG line, not an error, because nothing went wrong on the server.
 */
final class IncompleteBody extends RuntimeException {
    IncompleteBody(IOException cause) {
        super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
    }
}
