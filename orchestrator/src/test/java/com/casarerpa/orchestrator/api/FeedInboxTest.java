package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A feed's inbox: bounded (too much is dropped and said), waits without spinning, ends on stop. */
class FeedInboxTest {
    private static List<ChangeEvent> events(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(n -> new ChangeEvent(Change.robot("r" + n, Optional.empty(), "online"),
                Instant.EPOCH, "i_test", false, n)).toList();
    }

    private static long in(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    @Test
    void what_comes_is_taken_once_and_more_than_it_holds_is_dropped_and_said() {
        FeedInbox inbox = new FeedInbox(10);
        inbox.add(events(1, 4));
        inbox.add(events(5, 6));
        FeedInbox.Taken taken = inbox.take(in(Duration.ofSeconds(5)), System.nanoTime()).orElseThrow();
        assertThat(taken.events()).extracting(ChangeEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(taken.lost()).isFalse();

        inbox.add(events(7, 12));
        inbox.add(events(13, 18));
        FeedInbox.Taken behind = inbox.take(in(Duration.ofSeconds(5)), System.nanoTime()).orElseThrow();
        assertThat(behind.lost()).as("a client that reads too slowly gets reset").isTrue();
        assertThat(inbox.take(System.nanoTime(), System.nanoTime()).orElseThrow().events()).isEmpty();
    }

    @Test
    void a_take_waits_for_its_deadline_when_nothing_comes_and_a_stop_ends_it() throws Exception {
        FeedInbox inbox = new FeedInbox(10);
        long start = System.nanoTime();
        assertThat(inbox.take(in(Duration.ofMillis(200)), start).orElseThrow().events()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

        inbox.add(events(1, 1));
        long early = System.nanoTime();
        assertThat(inbox.take(in(Duration.ofSeconds(5)), in(Duration.ofMillis(150))).orElseThrow().events()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - early)).as("not before its time").isGreaterThanOrEqualTo(Duration.ofMillis(150));

        CompletableFuture<Optional<FeedInbox.Taken>> waiting = new CompletableFuture<>();
        Thread taker = Thread.ofVirtual().start(() -> waiting.complete(inbox.take(in(Duration.ofSeconds(30)), System.nanoTime())));
        await().atMost(Duration.ofSeconds(5)).until(() -> taker.getState() == Thread.State.TIMED_WAITING);
        inbox.stop();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).as("a stop ends a waiting take").isEmpty();
    }
}
