package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.ApiKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link KeyCache} in front of another that makes concurrent lookups of one key share a
 * database read: when an instance dies, its 10,000 robots reconnect within seconds with the same
 * fleet key, and each handshake used to take a pooled connection for the same row.
 *
 * <p>It caches nothing, so it promises what the cache behind it promises: every caller's answer
 * comes from a read that <em>began after the caller asked</em>. A caller never joins a read in
 * progress (it may have read the row before a revocation the caller should see); it joins the
 * next read of that key, which starts when the one in progress ends. So at most one read per key
 * runs at a time, and at most one more is waiting, however many callers there are. A read that
 * fails fails each of its callers with the same exception.
 */
public final class CoalescedKeyLookups implements KeyCache {
    private final KeyCache inner;
    private final Lookups byHash = new Lookups();
    private final Lookups byId = new Lookups();

    public CoalescedKeyLookups(KeyCache inner) {
        this.inner = inner;
    }

    @Override
    public Optional<ApiKey> byHash(String hash, Supplier<Optional<ApiKeyStore.Stamped>> load) {
        return inner.byHash(hash, () -> byHash.read(hash, load));
    }

    @Override
    public Optional<ApiKey> byId(String id, Supplier<Optional<ApiKeyStore.Stamped>> load) {
        return inner.byId(id, () -> byId.read(id, load));
    }

    @Override
    public void changed(long generation) {
        inner.changed(generation);
    }

    /** The reads of one kind of lookup, by key: the one running and the one its latecomers wait for. */
    private static final class Lookups {
        /** A read that has not started yet: the callers that joined it, and what it will read with. */
        private static final class Next {
            final CompletableFuture<Optional<ApiKeyStore.Stamped>> answer = new CompletableFuture<>();
            final Supplier<Optional<ApiKeyStore.Stamped>> load;

            Next(Supplier<Optional<ApiKeyStore.Stamped>> load) {
                this.load = load;
            }
        }

        /** Keys with a read running, and the read waiting behind it (null when none). Guarded by {@link #lock}. */
        private final Map<String, Next> running = new HashMap<>();
        /** A lock, not a monitor: nothing is read under it, and callers are virtual threads. */
        private final ReentrantLock lock = new ReentrantLock();

        Optional<ApiKeyStore.Stamped> read(String key, Supplier<Optional<ApiKeyStore.Stamped>> load) {
            Next mine;
            lock.lock();
            try {
                if (running.containsKey(key)) {
                    mine = running.get(key);
                    if (mine == null) {
                        mine = new Next(load);
                        running.put(key, mine);
                    }
                } else {
                    running.put(key, null);
                    mine = null;
                }
            } finally {
                lock.unlock();
            }
            if (mine != null) {
                return join(mine.answer);
            }
            // No read of this key was running: this caller reads, then starts the one waiting behind it.
            try {
                return load.get();
            } finally {
                afterRead(key);
            }
        }

        private void afterRead(String key) {
            Next next;
            lock.lock();
            try {
                next = running.get(key);
                if (next == null) {
                    running.remove(key);
                    return;
                }
                running.put(key, null); // the waiting read runs now; later callers wait for the one after it
            } finally {
                lock.unlock();
            }
            // On a thread of its own: the caller that finished its read does not wait for the others'.
            Thread.ofVirtual().name("key-lookup").start(() -> {
                try {
                    next.answer.complete(next.load.get());
                } catch (RuntimeException | Error e) {
                    next.answer.completeExceptionally(e);
                } finally {
                    afterRead(key);
                }
            });
        }

        private static Optional<ApiKeyStore.Stamped> join(CompletableFuture<Optional<ApiKeyStore.Stamped>> answer) {
            try {
                return answer.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
    }
}
