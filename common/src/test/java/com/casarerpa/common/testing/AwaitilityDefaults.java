package com.casarerpa.common.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.pollinterval.PollInterval;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility's defaults for every test class of the modules that use this test-jar (registered
 * in {@code META-INF/services}; the root pom turns JUnit's extension autodetection on): the
 * first check at once, then after 10, 20, 40 and 80 ms, then every 100 ms. Awaitility's own
 * defaults check first after 100 ms, so each of the suite's thousands of awaits took at least
 * 100 ms even when its condition already held. An await that names its own poll interval or
 * delay keeps it.
 */
public final class AwaitilityDefaults implements BeforeAllCallback {
    static final PollInterval QUICK_THEN_EVERY_100_MS = (pollCount, previous) -> Duration.ofMillis(Math.min(100, 5L << Math.min(pollCount, 5)));

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(QUICK_THEN_EVERY_100_MS);
    }
}
