package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.PoolSettings;
import java.util.Arrays;

/**
 * What a migrated PostgreSQL test database costs, the two ways: an empty database migrated
 * (as every PostgreSQL test did before the template) and a copy of the migrated template. Prints
 * the median and the mean of each over {@code ROUNDS} (default 10) rounds, alternating the two so
 * that the load of a shared machine falls on both alike; every database is dropped again.
 *
 * <pre>
 * mvn -B -q test-compile &amp;&amp; mvn -B -q -pl orchestrator dependency:build-classpath -Dmdep.outputFile=/tmp/cp
 * java -cp orchestrator/target/test-classes:orchestrator/target/classes:common/target/classes:$(cat /tmp/cp) \
 *     com.casarerpa.orchestrator.testing.DatabaseCreationBench 10
 * </pre>
 */
public final class DatabaseCreationBench {
    private DatabaseCreationBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long started = System.nanoTime();
        MigratedTemplate.ready();
        System.out.printf("template %s ready in %d ms (built now, or found from an earlier run)%n", MigratedTemplate.ready(),
                (System.nanoTime() - started) / 1_000_000);
        long[] migrated = new long[rounds];
        long[] copied = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            migrated[i] = time(DatabaseCreationBench::createAndMigrate);
            copied[i] = time(DatabaseCreationBench::copyTemplate);
        }
        print("create + migrate (before)", migrated);
        print("copy of the template (after)", copied);
    }

    private static void createAndMigrate() {
        String name = TestPostgres.createDatabase();
        Database db = Database.open(DatabaseUrl.parse(TestPostgres.url(name)), PoolSettings.forCommand());
        try {
            new Migrations(db).migrate();
        } finally {
            db.close();
        }
        TestPostgres.dropDatabase(name);
    }

    private static void copyTemplate() {
        String name = TestPostgres.createMigratedDatabase();
        Database db = Database.open(DatabaseUrl.parse(TestPostgres.url(name)), PoolSettings.forCommand());
        db.close();
        TestPostgres.dropDatabase(name);
    }

    /** Milliseconds one run takes, the drop of its database included (both ways pay it). */
    private static long time(Runnable run) {
        long start = System.nanoTime();
        run.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void print(String what, long[] ms) {
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("%-30s median %5d ms, mean %5d ms, min %5d ms, max %5d ms (%d rounds, drop included)%n", what,
                sorted[sorted.length / 2], Math.round(Arrays.stream(ms).average().orElse(0)), sorted[0],
                sorted[sorted.length - 1], ms.length);
    }
}
