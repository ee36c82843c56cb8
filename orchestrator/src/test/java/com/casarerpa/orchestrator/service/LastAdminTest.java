package com.casarerpa.orchestrator.service;

import static com.casarerpa.orchestrator.testing.AccessFixture.CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.store.BindingStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.AccessFixture;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * The last administrator stays (docs/access.md, "Bindings"): disabling the last admin user is
 * refused like taking back the last admin binding, and two changes at once that would each
 * remove one of the last two admins are made one after the other, so the second is refused;
 * on PostgreSQL and H2.
 */
class LastAdminTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        /** A pool of its own: two transactions at once and a look at who waits need more than the test database's two connections. */
        Database pool;
        AccessFixture f;

        @BeforeEach
        void open() {
            db = database.migrated(dir);
            pool = Database.open(db.url(), new PoolSettings("last-admin-test", 1, 4, PoolSettings.CONNECTION_TIMEOUT, Duration.ZERO));
            f = new AccessFixture(pool, Clock.systemUTC());
        }

        @AfterEach
        void close() {
            pool.close();
            db.close();
        }

        @Test
        void disabling_the_last_admin_user_is_refused_and_changes_nothing() {
            String dan = f.user("dan");
            String ann = f.user("ann");
            f.users.disable(ann, CLI); // no admin yet: a fresh installation is not held to it
            f.bind(Principal.USER, dan, "admin", "root");
            String eve = f.user("eve");
            f.bind(Principal.USER, eve, "admin", "root");
            f.setUserStatus(eve, "disabled");

            assertThatThrownBy(() -> f.users.disable(dan, CLI)).as("a disabled admin is no admin")
                    .isInstanceOf(ConflictException.class)
                    .hasMessageStartingWith("Disabling user dan would leave the installation without an administrator")
                    .satisfies(e -> assertThat(((ConflictException) e).code()).isEqualTo("last_admin"));
            assertThat(f.users.get(dan).status()).isEqualTo(User.Status.ACTIVE);
            assertThat(f.count("SELECT COUNT(*) FROM audit_events WHERE action = 'user.disable' AND target_id = '" + dan + "'"))
                    .isZero();

            String ci = f.access.serviceAccounts().create("ci", "", CLI).account().id();
            f.bind(Principal.SERVICE_ACCOUNT, ci, "admin", "root");
            assertThat(f.users.disable(dan, CLI).status()).as("another admin remains").isEqualTo(User.Status.DISABLED);
            assertThatThrownBy(() -> f.access.serviceAccounts().disable(ci, CLI)).isInstanceOf(ConflictException.class);
        }

        @Test
        void two_removals_at_once_of_the_last_two_admins_leave_one() throws Exception {
            String dan = f.user("dan");
            f.bind(Principal.USER, dan, "admin", "root");
            String eve = f.user("eve");
            String eveAdmin = f.bind(Principal.USER, eve, "admin", "root");

            List<String> outcomes = race(() -> f.users.disable(dan, CLI), () -> f.access.bindings().revoke("root", eveAdmin, CLI));

            assertThat(outcomes).containsExactlyInAnyOrder("done", "last_admin");
            assertThat(new BindingStore(f.jdbi).liveAdmins()).isEqualTo(1);
            assertThat(f.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('user.disable', 'binding.delete')")).isEqualTo(1);
        }

        /**
         * Runs both changes at once, each in a transaction that stays open after the change until
         * the other change has been made too, or is seen waiting for a lock: without the lock of
         * admin_changes both count the other's admin as still there and both commit.
         */
        private List<String> race(Runnable first, Runnable second) throws Exception {
            CyclicBarrier start = new CyclicBarrier(2);
            CountDownLatch changed = new CountDownLatch(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (Runnable change : List.of(first, second)) {
                    Callable<String> attempt = () -> {
                        start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                        try {
                            f.audit.atomically(() -> {
                                change.run();
                                changed.countDown();
                                await().atMost(WAIT).until(() -> changed.getCount() == 0 || waitingForLocks() > 0);
                            });
                            return "done";
                        } catch (ConflictException e) {
                            return e.code();
                        }
                    };
                    results.add(threads.submit(attempt));
                }
                List<String> outcomes = new ArrayList<>();
                for (Future<String> r : results) {
                    outcomes.add(r.get(2 * WAIT.toSeconds(), TimeUnit.SECONDS));
                }
                return outcomes;
            } finally {
                threads.shutdownNow();
            }
        }

        /** Sessions waiting for a row lock now, read on a connection of its own (Awaitility polls on its own thread). */
        private long waitingForLocks() {
            return f.count(database.isPostgres()
                    ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    : "SELECT COUNT(*) FROM information_schema.sessions WHERE blocker_id IS NOT NULL");
        }
    }
}
