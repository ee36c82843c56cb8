package com.casarerpa.orchestrator.store;

/**
 * The database products the orchestrator runs on. Dialect differences (claim statement, upsert,
 * notify, JSON) are decided by this value in one place each, never by sniffing URLs elsewhere.
 */
public enum Dialect {
    POSTGRESQL("PostgreSQL", "postgresql"),
    H2("H2", "h2");

    private final String productName;
    private final String migrationFolder;

    Dialect(String productName, String migrationFolder) {
        this.productName = productName;
        this.migrationFolder = migrationFolder;
    }

    /** How people call it: {@code PostgreSQL}, {@code H2}. */
    public String productName() {
        return productName;
    }

    /**
     * SQL for "the database's now plus {@code :param} seconds" (an integer bind), so lease and
     * retry times come from the database clock on every instance.
     */
    public String nowPlusSeconds(String param) {
        return plusSeconds("CURRENT_TIMESTAMP", ":" + param);
    }

    /**
     * SQL for the database's clock at this moment: unlike {@code CURRENT_TIMESTAMP} (the start
     * of the transaction on PostgreSQL), it has moved on when a statement waited for a lock.
     */
    public String clockNow() {
        return switch (this) {
            case POSTGRESQL -> "clock_timestamp()";
            case H2 -> "CURRENT_TIMESTAMP";
        };
    }

    /** SQL for "{@code timestamp} plus {@code seconds}", both SQL expressions (a column, a bind). */
    public String plusSeconds(String timestamp, String seconds) {
        return switch (this) {
            case POSTGRESQL -> "(" + timestamp + " + " + seconds + " * INTERVAL '1 second')";
            case H2 -> "DATEADD(SECOND, " + seconds + ", " + timestamp + ")";
        };
    }

    /** SQL for the start of the minute of {@code timestamp} (a column), as a timestamp. */
    public String truncateToMinute(String timestamp) {
        return switch (this) {
            case POSTGRESQL -> "date_trunc('minute', " + timestamp + ")";
            case H2 -> "DATE_TRUNC('MINUTE', " + timestamp + ")";
        };
    }

    /** SQL for the milliseconds from {@code from} to {@code to} (two timestamps), a number. */
    public String millisBetween(String from, String to) {
        return switch (this) {
            case POSTGRESQL -> "(EXTRACT(EPOCH FROM (" + to + " - " + from + ")) * 1000)";
            case H2 -> "DATEDIFF(MILLISECOND, " + from + ", " + to + ")";
        };
    }

    /** Flyway location of the migrations only this dialect runs (SQL that must differ). */
    public String vendorMigrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }
}
