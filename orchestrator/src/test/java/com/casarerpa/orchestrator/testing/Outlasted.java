package com.casarerpa.orchestrator.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * For fault tests: whether a database fault (an outage, a held lock) has lasted long enough, read
 * from the database itself rather than timed by the test. Long enough is: every lease has run
 * out, and no instance has written its pulse ({@code instance_pulses}, which needs the write
 * locks heartbeats and lease renewals need) for longer than the heartbeat timeout. Nobody could
 * renew a lease or record a heartbeat for that long, so without the pulses' fresh window every
 * robot would be judged dead the moment the database answered again.
 */
public final class Outlasted {
    private Outlasted() {}

    /**
     * Asks on {@code c}: a connection that the fault spares (one that bypasses the cut, or the one
     * holding the lock). Reads the database's clock with {@code clock_timestamp()}, since
     * {@code now()} stands still inside the transaction that holds a lock.
     */
    public static boolean leasesAndHeartbeatTimeout(Connection c, int heartbeatTimeoutSeconds) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM jobs WHERE lease_expires_at > clock_timestamp())"
                        + " AND (SELECT MAX(pulse_at) FROM instance_pulses) < clock_timestamp() - "
                        + heartbeatTimeoutSeconds + " * INTERVAL '1 second'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
