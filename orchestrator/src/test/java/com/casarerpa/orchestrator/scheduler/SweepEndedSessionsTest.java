package com.casarerpa.orchestrator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PasswordResetStore;
import com.casarerpa.orchestrator.store.SessionStore;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.MutableClock;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** The sweep of ended sessions and spent password tokens, a day after they ended, with a clock the test moves; on PostgreSQL and H2. */
class SweepEndedSessionsTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        Jdbi jdbi;
        SessionStore sessions;
        PasswordResetStore resets;
        final MutableClock clock = new MutableClock(NOW);
        SweepEndedSessions sweep;

        @BeforeEach
        void open() {
            db = database.migrated(dir);
            jdbi = Jdbi3.of(db.database());
            sessions = new SessionStore(jdbi);
            resets = new PasswordResetStore(jdbi);
            sweep = new SweepEndedSessions(sessions, resets, clock);
            jdbi.useHandle(h -> h.execute("INSERT INTO users (id, username, display_name, status, created_at, created_by, updated_at)"
                    + " VALUES ('usr_ann', 'ann', 'Ann', 'active', CURRENT_TIMESTAMP, 'test', CURRENT_TIMESTAMP)"));
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void sessions_go_a_day_after_they_expired_or_were_ended_and_live_ones_stay() {
            session("expired_25h_ago", hoursAgo(37), hoursAgo(25));
            session("expired_23h_ago", hoursAgo(35), hoursAgo(23));
            session("ended_25h_ago", hoursAgo(26), NOW.plus(Duration.ofHours(5)));
            sessions.revoke("ended_25h_ago", hoursAgo(25));
            session("ended_23h_ago", hoursAgo(24), NOW.plus(Duration.ofHours(5)));
            sessions.revoke("ended_23h_ago", hoursAgo(23));
            session("live", hoursAgo(7), NOW.plus(Duration.ofHours(5)));

            sweep.run();
            assertThat(sessionIds()).containsExactlyInAnyOrder("expired_23h_ago", "ended_23h_ago", "live");

            clock.advance(Duration.ofHours(2));
            sweep.run();
            assertThat(sessionIds()).containsExactly("live");
            assertThat(sessions.liveById("live", clock.instant())).isPresent();
        }

        @Test
        void password_tokens_go_a_day_after_they_were_used_replaced_or_expired() {
            resets.insert(hash("expired"), "usr_ann", hoursAgo(72), hoursAgo(48), "test");
            resets.insert(hash("used"), "usr_ann", hoursAgo(40), hoursAgo(16), "test");
            assertThat(resets.consume(hash("used"), hoursAgo(30))).contains("usr_ann");
            resets.insert(hash("replaced"), "usr_ann", hoursAgo(3), NOW.plus(Duration.ofHours(21)), "test");
            resets.insert(hash("unused"), "usr_ann", hoursAgo(2), NOW.plus(Duration.ofHours(22)), "test"); // replaces "replaced"

            sweep.run();
            assertThat(tokenHashes()).containsExactlyInAnyOrder(hash("replaced"), hash("unused"));

            clock.advance(Duration.ofHours(23));
            sweep.run();
            assertThat(tokenHashes()).as("replaced 25 h ago; expired 1 h ago").containsExactly(hash("unused"));
            clock.advance(Duration.ofHours(24));
            sweep.run();
            assertThat(tokenHashes()).isEmpty();
        }

        @Test
        void a_backlog_goes_in_bounded_batches_in_one_sweep() {
            int backlog = 2 * SweepEndedSessions.BATCH + 7;
            jdbi.useHandle(h -> {
                var batch = h.prepareBatch("INSERT INTO user_sessions (id, user_id, kind, refresh_hash, created_at, expires_at)"
                        + " VALUES (:id, 'usr_ann', 'api', :hash, :created, :expires)");
                for (int i = 0; i < backlog; i++) {
                    batch.bind("id", "old_" + i).bind("hash", hash("old_" + i))
                            .bind("created", Jdbi3.ts(hoursAgo(60))).bind("expires", Jdbi3.ts(hoursAgo(48)))
                            .add();
                }
                batch.execute();
            });
            session("live", hoursAgo(1), NOW.plus(Duration.ofHours(11)));

            assertThat(sessions.deleteEndedBefore(NOW.minus(SweepEndedSessions.KEPT), 5)).as("one batch is bounded").isEqualTo(5);
            sweep.run();

            assertThat(sessionIds()).containsExactly("live");
        }

        private void session(String id, Instant created, Instant expires) {
            sessions.insert(id, SessionStore.Owner.user("usr_ann"), "api", hash(id), Optional.empty(), created, expires, "127.0.0.1");
        }

        /** A name as the 64 characters of a token hash. */
        private static String hash(String name) {
            return String.format("%-64s", name).replace(' ', '-');
        }

        private static Instant hoursAgo(int hours) {
            return NOW.minus(Duration.ofHours(hours));
        }

        private java.util.List<String> sessionIds() {
            return jdbi.withHandle(h -> h.createQuery("SELECT id FROM user_sessions").mapTo(String.class).list());
        }

        private java.util.List<String> tokenHashes() {
            return jdbi.withHandle(h -> h.createQuery("SELECT token_hash FROM password_resets").mapTo(String.class).list());
        }
    }
}
