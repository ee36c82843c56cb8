package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.error.OrchestratorException;
import com.casarerpa.orchestrator.service.Authenticator;
import com.casarerpa.orchestrator.service.ForbiddenException;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import io.javalin.http.Context;
import io.javalin.http.ServiceUnavailableResponse;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Runs before the upgrade of {@code /ws/robots}, so a refusal is an ordinary HTTP answer with the
 * REST error body: 503 while the instance drains or the database is unreachable, 401 without valid credentials, 403 for a role
 * other than robot or admin and for a signed-in person (whatever its roles), and whatever the
 * {@link ConnectionGate} says: 429 for a key over its budget, and, before any lookup, for a client address that has had too many handshakes refused
 * (the budget of refused credentials that REST requests share). While as many connections as
 * {@link ChannelSettings#maxRegistering()} have not registered yet, a handshake is answered 503
 * with {@code Retry-After} before its credentials are looked up: a reconnect storm queues at the
 * robots (which back off with jitter), not in the server's threads and database pool, and an
 * attempt turned away costs the robot's key nothing. Credentials come
 * from {@code Authorization: Bearer}, {@code X-API-Key}, or the {@code api_key} query parameter,
 * in that order; the parameter's value is never logged.
 */
final class UpgradeCheck {
    static final String ACTOR = "casare.ws.actor";
    static final String CREDENTIAL = "casare.ws.credential";

    private final Authenticator authenticator;
    private final ConnectionGate gate;
    private final BooleanSupplier draining;
    private final IntSupplier registering;
    private final int maxRegistering;

    /** @param registering how many connections of this instance have not registered yet */
    UpgradeCheck(Authenticator authenticator, ConnectionGate gate, BooleanSupplier draining, IntSupplier registering,
            int maxRegistering) {
        this.authenticator = authenticator;
        this.gate = gate;
        this.draining = draining;
        this.registering = registering;
        this.maxRegistering = maxRegistering;
    }

    void check(Context ctx) {
        if (draining.getAsBoolean()) {
            ctx.header("Retry-After", "1");
            throw new ServiceUnavailableResponse("this instance is draining for shutdown; connect again (another instance will answer)");
        }
        if (registering.getAsInt() >= maxRegistering) {
            gate.crowded(ctx);
            // 1 to 3 s: the robots add their own jitter, this spreads those that take the header as it is.
            ctx.header("Retry-After", Integer.toString(1 + ThreadLocalRandom.current().nextInt(3)));
            throw new ServiceUnavailableResponse("this instance is registering " + maxRegistering + " robots already"
                    + " (robots.connect_limit.registering); connect again after Retry-After, with jitter");
        }
        Optional<String> offered = credential(ctx);
        gate.beforeCredentials(ctx, offered);
        Actor actor;
        String credential;
        try {
            credential = offered.orElseThrow(() -> new NotAuthenticated(
                    "credentials required: send 'Authorization: Bearer <API key or token>', 'X-API-Key: <API key>',"
                            + " or (only for clients that cannot set headers) the api_key query parameter"));
            actor = authenticator.authenticate(credential);
        } catch (NotAuthenticated e) {
            gate.refused(ctx);
            throw e;
        } catch (OrchestratorException e) { // the database unavailable (503, retryable); anything else is not ours to absorb
            if (!e.retryable()) {
                throw e;
            }
            ctx.header("Retry-After", "5");
            throw new ServiceUnavailableResponse("the database is unreachable, so the key cannot be checked; connect again"
                    + " with backoff (another instance may answer)");
        }
        // Charged before the role check, so that a key of the wrong role cannot retry for free either.
        gate.admit(ctx, actor, credential);
        // People are never robots, whatever their roles: only robot keys and admin keys connect.
        if (actor.isUser() || (!actor.robot() && !actor.isAdmin())) {
            throw new ForbiddenException("the robot channel needs a robot or admin key; " + actor.kind() + " " + actor.id()
                    + " is neither");
        }
        ctx.attribute(ACTOR, actor);
        ctx.attribute(CREDENTIAL, credential);
    }

    private static Optional<String> credential(Context ctx) {
        return Authenticator.fromHeaders(ctx.header("Authorization"), ctx.header("X-API-Key"))
                .or(() -> Optional.ofNullable(ctx.queryParam("api_key")).map(String::strip).filter(s -> !s.isEmpty()));
    }
}
