package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Concurrent lookups of one key share a read, and no caller is answered from a read that began
 * before it asked (the read in progress may predate a revocation it must see).
 */
class CoalescedKeyLookupsTest {
    private final CoalescedKeyLookups lookups = new CoalescedKeyLookups(KeyCache.none());

    /** A read that blocks until released, counting how many began. */
    private static final class GatedRead implements Supplier<Optional<ApiKeyStore.Stamped>> {
        final AtomicInteger began = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(1);

        @Override
        public Optional<ApiKeyStore.Stamped> get() {
            began.incrementAndGet();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    }

    @Test
    void callers_during_a_read_wait_for_the_next_one_and_share_it() throws Exception {
        GatedRead read = new GatedRead();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<?> first = CompletableFuture.runAsync(() -> lookups.byHash("h", read), threads);
            await().atMost(Duration.ofSeconds(5)).until(() -> read.began.get() == 1);
            // 50 callers arrive while the first read runs: none of them is answered by it.
            List<CompletableFuture<?>> late = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                late.add(CompletableFuture.runAsync(() -> lookups.byHash("h", read), threads));
            }
            CountDownLatch firstGate = read.gate;
            read.gate = new CountDownLatch(1);
            firstGate.countDown();
            first.get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> read.began.get() == 2);
            assertThat(late).noneMatch(CompletableFuture::isDone);
            read.gate.countDown();
            CompletableFuture.allOf(late.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            // Two reads for 51 callers: one each, not 51.
            assertThat(read.began.get()).isEqualTo(2);
        }
    }

    @Test
    void a_failed_read_fails_its_callers_and_the_next_lookup_reads_again() {
        assertThatThrownBy(() -> lookups.byId("k", () -> {
            throw new DatabaseUnavailableException(DatabaseUnavailableException.Reason.UNREACHABLE, "down", null);
        })).isInstanceOf(DatabaseUnavailableException.class);
        AtomicInteger reads = new AtomicInteger();
        assertThat(lookups.byId("k", () -> {
            reads.incrementAndGet();
            return Optional.empty();
        })).isEmpty();
        assertThat(reads.get()).isEqualTo(1);
    }
}
