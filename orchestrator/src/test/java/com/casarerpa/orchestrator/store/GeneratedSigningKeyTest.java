package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** The generated signing key: many callers at once, one key, the same one ever after. */
@BothDatabases
class GeneratedSigningKeyTest {
    @Parameter
    TestDatabase database;
    @TempDir
    Path dir;
    MigratedDatabase db;

    @BeforeEach
    void open() {
        db = database.migrated(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void callers_at_once_all_get_the_one_key_that_was_stored_first() throws Exception {
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Secret>> keys = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                keys.add(pool.submit(() -> {
                    go.await();
                    return GeneratedSigningKey.readOrCreate(db.database());
                }));
            }
            go.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<Secret> k : keys) {
                distinct.add(k.get().reveal());
            }
            assertThat(distinct).hasSize(1);
            assertThat(distinct.iterator().next()).hasSizeGreaterThanOrEqualTo(64);
            assertThat(GeneratedSigningKey.readOrCreate(db.database()).reveal()).isEqualTo(distinct.iterator().next());
        } finally {
            pool.shutdownNow();
        }
    }
}
