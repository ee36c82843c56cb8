package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the robot channel must know about leases by token: whether one is live, and if not, why
 * it ended ({@code reported}, {@code expired}, {@code unknown}); and the resume of a robot that
 * reconnects (listed leases renewed or, when expired and not claimed by anyone since, taken back;
 * unlisted ones ended) in one transaction. Times are the database's.
 */
public final class RobotLeases {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ChangeEvents events;

    /** Leases whose take-back publishes no change event (commands, tests). */
    public RobotLeases(Jdbi jdbi, Dialect dialect) {
        this(jdbi, dialect, ChangeEvents.none());
    }

    public RobotLeases(Jdbi jdbi, Dialect dialect, ChangeEvents events) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.events = events;
    }

    /**
     * One attempt of a job as a robot sees it through its lease token.
     *
     * @param live      the token is the job's live lease
     * @param outcome   how the attempt ended (succeeded, failed, cancelled, timed_out, lease_expired), if it did
     * @param jobState  the job's state now
     */
    public record LeaseState(String jobId, String token, String robotId, int attempt, boolean live, Optional<String> outcome,
            String jobState, Optional<String> cancelReason, Optional<Instant> expiresAt) {

        /** The lease end reason of the protocol: reported, expired (or the reason of a stop). */
        public String endReason() {
            if (outcome.isEmpty()) {
                return "expired";
            }
            return switch (outcome.get()) {
                case "succeeded", "failed", "cancelled", "timed_out" -> "reported";
                default -> cancelReason.orElse("expired");
            };
        }

        /** Ended by a final report of its robot (logs are still accepted under it). */
        public boolean reported() {
            return !live && "reported".equals(endReason());
        }
    }

    /** The attempt that {@code token} names on {@code jobId}; empty when the token never leased the job. */
    public Optional<LeaseState> find(String jobId, String token) {
        return Jdbi3.call("job leases", () -> jdbi.withHandle(h -> read(h, Map.of(jobId, token)))).stream().findFirst();
    }

    /** True when the job exists at all. */
    public boolean jobExists(String jobId) {
        return Jdbi3.call("jobs", () -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs WHERE id = :id")
                .bind("id", jobId).mapTo(Integer.class).one() == 1));
    }

    /** The attempts named by these tokens (jobs whose token is unknown are left out). */
    public List<LeaseState> find(Map<String, String> tokensByJob) {
        if (tokensByJob.isEmpty()) {
            return List.of();
        }
        return Jdbi3.call("job leases", () -> jdbi.withHandle(h -> read(h, tokensByJob)));
    }

    /** The database clock now. */
    public Instant now() {
        return Jdbi3.call("clock", () -> jdbi.withHandle(h -> h.createQuery("SELECT CURRENT_TIMESTAMP")
                .map((rs, ctx) -> instant(rs.getObject(1)).orElseThrow()).one()));
    }

    /**
     * A robot comes back: each listed live lease of it is renewed for {@code seconds}; a listed
     * lease that expired while nobody else took the job since is taken back (see
     * {@link #takeBack}); every other live lease it holds ends now (the lease sweep re-queues
     * those jobs). Returns the state of every listed lease afterwards.
     */
    public List<LeaseState> resume(String robotId, Map<String, String> held, int seconds) {
        return Jdbi3.call("job leases", () -> jdbi.inTransaction(h -> {
            if (!held.isEmpty()) {
                var renew = h.prepareBatch(JobTransitions.renew(dialect));
                held.forEach((job, token) -> renew.bind("id", job).bind("token", token).bind("robot", robotId)
                        .bind("seconds", seconds).add());
                int[] renewed = renew.execute();
                int i = 0;
                for (Map.Entry<String, String> e : held.entrySet()) {
                    if (renewed[i++] == 0) {
                        takeBack(h, robotId, e.getKey(), e.getValue(), seconds);
                    }
                }
            }
            String unlisted = held.isEmpty() ? "" : " AND id NOT IN (<listed>)";
            var end = h.createUpdate("UPDATE jobs SET lease_expires_at = " + dialect.plusSeconds("CURRENT_TIMESTAMP", "-1")
                    + " WHERE robot_id = :robot AND " + JobTransitions.leased("") + unlisted).bind("robot", robotId);
            if (!held.isEmpty()) {
                end.bindList("listed", List.copyOf(held.keySet()));
            }
            end.execute();
            return read(h, held);
        }));
    }

    /**
     * The robot's lease on {@code jobId} expired (it could not renew it: its connection or the
     * database was away) and the job went back to pending, but nobody has claimed it since (its
     * attempt counter still names this lease, its robot and token are empty): the same lease
     * becomes live again, the attempt as it was, so the robot's run, perhaps finished, counts and
     * the job does not run twice. A job that was claimed again, cancelled, or failed for good is
     * left alone; the robot hears {@code lost}.
     */
    private void takeBack(Handle h, String robotId, String jobId, String token, int seconds) {
        record Expired(int attempt, boolean started) {}
        Optional<Expired> expired = h.createQuery("SELECT attempt, started_at FROM job_attempts WHERE job_id = :id"
                        + " AND lease_token = :token AND robot_id = :robot AND outcome = 'lease_expired'")
                .bind("id", jobId).bind("token", token).bind("robot", robotId)
                .map((rs, ctx) -> new Expired(rs.getInt(1), rs.getObject(2) != null)).findOne();
        if (expired.isEmpty()) {
            return;
        }
        int taken = h.createUpdate(JobTransitions.takeBack(dialect, expired.get().started())).bind("robot", robotId).bind("token", token)
                .bind("seconds", seconds).bind("id", jobId).bind("attempt", expired.get().attempt()).execute();
        if (taken == 1) {
            JobTransitions.moved(h, events, expired.get().started() ? JobTransitions.TAKE_BACK_STARTED : JobTransitions.TAKE_BACK,
                    JobState.PENDING, jobId);
            h.createUpdate("UPDATE job_attempts SET ended_at = NULL, outcome = NULL, error_type = NULL, error_message = NULL"
                    + " WHERE job_id = :id AND lease_token = :token").bind("id", jobId).bind("token", token).execute();
        }
    }

    static List<LeaseState> read(Handle h, Map<String, String> tokensByJob) {
        return read(h, List.copyOf(tokensByJob.entrySet()));
    }

    /** The attempts named by these (job id, lease token) pairs, of any robots (pairs that never leased are left out). */
    static List<LeaseState> read(Handle h, List<Map.Entry<String, String>> pairs) {
        if (pairs.isEmpty()) {
            return List.of();
        }
        java.util.Set<Map.Entry<String, String>> wanted = new java.util.HashSet<>();
        pairs.forEach(p -> wanted.add(Map.entry(p.getKey(), p.getValue())));
        List<LeaseState> out = new ArrayList<>();
        h.createQuery("SELECT a.job_id, a.lease_token, a.robot_id, a.attempt, a.outcome, j.state, j.lease_token AS live_token,"
                        + " j.cancel_reason, j.lease_expires_at FROM job_attempts a JOIN jobs j ON j.id = a.job_id"
                        + " WHERE a.job_id IN (<ids>) AND a.lease_token IN (<tokens>)")
                .bindList("ids", wanted.stream().map(Map.Entry::getKey).distinct().toList())
                .bindList("tokens", wanted.stream().map(Map.Entry::getValue).distinct().toList())
                .map((rs, ctx) -> {
                    String token = rs.getString("lease_token");
                    String state = rs.getString("state");
                    boolean live = token.equals(rs.getString("live_token"))
                            && JobState.fromWire(state).filter(JobState::leased).isPresent();
                    return new LeaseState(rs.getString("job_id"), token, rs.getString("robot_id"), rs.getInt("attempt"), live,
                            Optional.ofNullable(rs.getString("outcome")), state, Optional.ofNullable(rs.getString("cancel_reason")),
                            live ? instant(rs.getObject("lease_expires_at")) : Optional.empty());
                })
                .forEach(l -> {
                    if (wanted.contains(Map.entry(l.jobId(), l.token()))) {
                        out.add(l);
                    }
                });
        return out;
    }
}
