package com.casarerpa.orchestrator.api;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.events.Subscription;
import com.casarerpa.orchestrator.service.ChangeFolders;
import com.casarerpa.orchestrator.service.FeedBatches;
import com.casarerpa.orchestrator.service.FeedFilter;
import com.casarerpa.orchestrator.service.LiveFeeds;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import com.casarerpa.protocol.rest.FeedBodies;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open live feed: a subscription to this instance's change events with a bounded queue, and
 * the request's own thread writing Server-Sent Events from it (docs/rest-api.md, "Live feed").
 * It flushes at most every {@link #FLUSH_EVERY}, each flush coalesced ({@link FeedBatches}); a
 * comment line keeps the connection alive every {@link #KEEPALIVE}; the caller's credential is
 * checked again every {@code recheck} (no longer valid: the feed ends). When the feed fell
 * behind (its queue was full) it sends {@code reset} and carries on from there.
 */
final class LiveFeed {
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    static final Duration FLUSH_EVERY = Duration.ofMillis(250);
    static final Duration KEEPALIVE = Duration.ofSeconds(15);
    /** Events a feed holds not yet sent; more and it resets. */
    static final int CAPACITY = 10_000;
    /** How long the subscription waits for more after a first event: the changes of one transaction come together. */
    private static final Duration LINGER = Duration.ofMillis(50);
    /** What EventSource waits before it reconnects, in milliseconds. */
    static final int RETRY_MILLIS = 3_000;

    private final LiveFeeds feeds;
    private final FeedFilter filter;
    private final Supplier<Actor> recheck;
    private final Duration recheckEvery;
    private final String instance;
    private OutputStream out;
    private volatile boolean replaced;
    private final FeedInbox inbox = new FeedInbox(CAPACITY);
    private Actor actor;
    private long sentUpTo;

    /**
     * @param recheck      authenticates the request's credential again: the caller as it is now
     *                     ({@link NotAuthenticated} when the credential is no longer valid)
     * @param recheckEvery how often
     */
    LiveFeed(LiveFeeds feeds, FeedFilter filter, Actor actor, Supplier<Actor> recheck, Duration recheckEvery) {
        this.feeds = feeds;
        this.filter = filter;
        this.actor = actor;
        this.recheck = recheck;
        this.recheckEvery = recheckEvery;
        this.instance = feeds.events().instance();
    }

    /** {@code <instance>.<seq>}: where a feed of this instance stands after event {@code seq}. */
    static String cursor(String instance, long seq) {
        return instance + "." + seq;
    }

    /** The event number of {@code cursor} when it is one of {@code instance}'s; empty otherwise. */
    static Optional<Long> seqOf(String cursor, String instance) {
        if (cursor == null || !cursor.startsWith(instance + ".")) {
            return Optional.empty();
        }
        String n = cursor.substring(instance.length() + 1);
        return n.matches("\\d{1,18}") ? Optional.of(Long.parseLong(n)) : Optional.empty();
    }

    /**
     * Runs the feed until the client goes, the credential ends or the instance stops.
     *
     * @param place  its place among the open feeds, given back when it ends
     * @param resume the {@code Last-Event-ID} (or {@code last_event_id}) sent, if any
     * @param out    the response body
     */
    void run(LiveFeeds.Opened place, Optional<String> resume, OutputStream out) throws IOException {
        this.out = out;
        ChangeEvents bus = feeds.events();
        Optional<Long> after = resume.flatMap(r -> seqOf(r, instance));
        ChangeEvents.Resumed r = bus.subscribeAfter("feed", CAPACITY, LINGER, inbox::add, after.orElse(-1L));
        Subscription subscription = r.subscription();
        try {
            write("retry: " + RETRY_MILLIS + "\n\n");
            sentUpTo = r.missed().isPresent() ? after.orElseThrow() : r.last();
            if (resume.isPresent() && r.missed().isEmpty()) {
                reset(r.last(), "unknown_cursor");
            }
            r.missed().ifPresent(inbox::add);
            loop(subscription);
        } finally {
            subscription.close();
            place.close();
        }
    }

    /** Ends the feed soon (the instance stops); returns at once. */
    void stop() {
        inbox.stop();
    }

    /** Ends the feed soon, saying so, because a newer feed of the same caller took its place; returns at once. */
    void replaced() {
        replaced = true;
        inbox.stop();
    }

    private void loop(Subscription subscription) throws IOException {
        long lastFlush = System.nanoTime() - FLUSH_EVERY.toNanos();
        long nextKeepalive = System.nanoTime() + KEEPALIVE.toNanos();
        long nextRecheck = System.nanoTime() + recheckEvery.toNanos();
        long droppedSeen = 0;
        while (true) {
            Optional<FeedInbox.Taken> taken = inbox.take(Math.min(nextKeepalive, nextRecheck), lastFlush + FLUSH_EVERY.toNanos());
            if (taken.isEmpty()) {
                if (replaced) {
                    // Most often nobody reads it any more (a reloaded page): the write may fail, which ends it all the same.
                    write("event: end\ndata: " + Json.mapper().writeValueAsString(new FeedBodies.End("replaced")) + "\n\n");
                }
                return;
            }
            List<ChangeEvent> batch = taken.get().events();
            boolean behind = taken.get().lost();
            long now = System.nanoTime();
            if (now >= nextRecheck) {
                nextRecheck = now + recheckEvery.toNanos();
                if (!stillValid()) {
                    return;
                }
            }
            long dropped = subscription.dropped();
            if (behind || dropped > droppedSeen) {
                droppedSeen = dropped;
                reset(feeds.events().lastSeq(), "fell_behind");
                lastFlush = now;
                nextKeepalive = now + KEEPALIVE.toNanos();
                continue;
            }
            if (!batch.isEmpty()) {
                if (flush(batch)) {
                    nextKeepalive = now + KEEPALIVE.toNanos();
                }
                lastFlush = now;
            }
            if (now >= nextKeepalive) {
                write(": keepalive\n\n");
                nextKeepalive = now + KEEPALIVE.toNanos();
            }
        }
    }

    private boolean stillValid() throws IOException {
        try {
            actor = recheck.get();
            return true;
        } catch (NotAuthenticated e) {
            log.debug("live feed of {} ended: {}", actor.describe(), e.getMessage());
            write("event: end\ndata: " + Json.mapper().writeValueAsString(new FeedBodies.End("credentials")) + "\n\n");
            return false;
        } catch (RuntimeException e) {
            // The database unreachable, say: the credential was valid, the next check decides.
            log.debug("live feed of {}: credential not checked again ({})", actor.describe(), e.toString());
            return true;
        }
    }

    /** Sends what {@code batch} holds for this caller; true when anything was written. */
    private boolean flush(List<ChangeEvent> batch) throws IOException {
        List<ChangeEvent> fresh = batch.stream().filter(e -> e.seq() > sentUpTo).sorted(Comparator.comparingLong(ChangeEvent::seq))
                .toList();
        if (fresh.isEmpty()) {
            return false;
        }
        long upTo = fresh.getLast().seq();
        sentUpTo = upTo;
        ChangeFolders folders = feeds.folders();
        FolderTree tree = folders.tree();
        List<ChangeFolders.Placed> admitted = folders.place(fresh).stream().filter(p -> filter.admits(actor, p, tree)).toList();
        List<FeedBatches.Message> messages = FeedBatches.of(admitted, upTo);
        if (messages.isEmpty()) {
            return false;
        }
        StringBuilder text = new StringBuilder();
        for (FeedBatches.Message m : messages) {
            text.append(frame(m));
        }
        write(text.toString());
        return true;
    }

    private String frame(FeedBatches.Message m) {
        return switch (m) {
            case FeedBatches.Overflow o -> frame(o.seq(), "overflow", new FeedBodies.Overflow(o.kinds()));
            case FeedBatches.Changed c -> c.last().change().kind() == Change.Kind.LOG ? frame(c.seq(), "log", log(c))
                    : frame(c.seq(), "change", change(c));
        };
    }

    private static FeedBodies.Change change(FeedBatches.Changed c) {
        Change last = c.last().change();
        ChangeEvent e = c.last().event();
        return new FeedBodies.Change(last.kind().wireName(), last.subject(), c.first().change().from().orElse(null), last.to(),
                c.last().folder().orElse(null), last.job().orElse(null), e.at(), e.instance(), e.remote());
    }

    private static FeedBodies.Log log(FeedBatches.Changed c) {
        ChangeEvent e = c.last().event();
        return new FeedBodies.Log(c.last().change().subject(), Long.parseLong(c.last().change().to()), c.last().folder().orElse(null),
                e.at(), e.instance(), e.remote());
    }

    private void reset(long seq, String reason) throws IOException {
        sentUpTo = Math.max(sentUpTo, seq);
        write(frame(seq, "reset", new FeedBodies.Reset(reason)));
    }

    /** One event: its cursor, its type, its data as one line of JSON. */
    private String frame(long seq, String event, Object data) {
        try {
            return "id: " + cursor(instance, seq) + "\nevent: " + event + "\ndata: " + Json.mapper().writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a feed body is always JSON", e);
        }
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
