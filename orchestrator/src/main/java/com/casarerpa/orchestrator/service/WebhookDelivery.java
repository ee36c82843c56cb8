package com.casarerpa.orchestrator.service;

import java.util.Optional;

/**
 * A request to a webhook as it arrived: the raw body (the signature covers its bytes) and the
 * headers that authenticate it. Absent headers are empty.
 */
public record WebhookDelivery(byte[] body, Optional<String> timestamp, Optional<String> deliveryId,
        Optional<String> signature, Optional<String> key) {}
