package com.casarerpa.orchestrator.service;

/**
 * The answer of {@link TokenBuckets#tryTake} for one request.
 *
 * @param allowed           true when a token was taken and the request may proceed
 * @param limit             the budget's requests per minute (for {@code X-RateLimit-Limit})
 * @param remaining         whole tokens left after this request (for {@code X-RateLimit-Remaining})
 * @param retryAfterSeconds when refused, whole seconds until a token is back (at least 1); 0 when allowed
 */
public record RateDecision(boolean allowed, long limit, long remaining, long retryAfterSeconds) {}
