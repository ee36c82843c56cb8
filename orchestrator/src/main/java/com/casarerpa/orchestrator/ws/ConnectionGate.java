package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.Actor;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The rate limits of attempts to open a robot connection: each method may throw an exception the
 * HTTP error mapping renders (429 with {@code Retry-After}). Wired in {@code app}, so that
 * {@code ws} does not depend on the REST API's rate limiting, whose budgets it shares.
 */
public interface ConnectionGate {
    /** Before the credential is looked up: refuses an address that has had too many refused, unless the credential worked lately. */
    void beforeCredentials(Context ctx, Optional<String> credential);

    /** The credential was missing or refused: charged to the client address. */
    void refused(Context ctx);

    /** An authenticated attempt: charged to its key's connection budget; its credential is remembered as one that works. */
    void admit(Context ctx, Actor actor, String credential);

    /** An attempt turned away (503) because this instance has as many connections registering as it takes: counted. */
    default void crowded(Context ctx) {}
}
