package com.casarerpa.orchestrator.domain;

import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * New job ids: {@code job_} and 26 lower-case Crockford base32 characters holding 48 bits of
 * milliseconds since the epoch and 80 random bits (a ULID), so ids sort by creation time. Ids
 * made in the same millisecond (a batch) are monotonic: the random part of the previous id plus
 * one, so a batch keeps its order too. Thread-safe.
 */
public final class JobIds {
    public static final String PREFIX = "job_";
    private static final char[] CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final int CHARS = 26;

    private final Clock clock;
    private final RandomGenerator random;
    private long lastMillis = -1;
    /** The random part: its high 16 bits and low 64 bits. */
    private long randomHigh;
    private long randomLow;

    public JobIds(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    public synchronized String next() {
        long millis = clock.millis();
        if (millis > lastMillis) {
            lastMillis = millis;
            randomHigh = random.nextInt(1 << 16);
            randomLow = random.nextLong();
        } else {
            // The same millisecond (or a clock that went back): the previous id plus one.
            randomLow++;
            if (randomLow == 0) {
                randomHigh = (randomHigh + 1) & 0xFFFF;
                if (randomHigh == 0) {
                    lastMillis++;
                }
            }
        }
        return PREFIX + encode((lastMillis & 0xFFFF_FFFF_FFFFL) << 16 | randomHigh, randomLow);
    }

    /** 128 bits (the top two always zero here) as 26 base32 digits, most significant first. */
    private static String encode(long high, long low) {
        char[] out = new char[CHARS];
        for (int i = CHARS - 1; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (low & 31)];
            low = (low >>> 5) | (high << 59);
            high >>>= 5;
        }
        return new String(out);
    }
}
