package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.domain.JobState.ASSIGNED;
import static com.casarerpa.orchestrator.domain.JobState.CANCELLED;
import static com.casarerpa.orchestrator.domain.JobState.FAILED;
import static com.casarerpa.orchestrator.domain.JobState.PENDING;
import static com.casarerpa.orchestrator.domain.JobState.RUNNING;
import static com.casarerpa.orchestrator.domain.JobState.SUCCEEDED;
import static com.casarerpa.orchestrator.domain.JobState.TIMED_OUT;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.JobTransition;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Every statement that changes a job's state, each written once: its {@code SET state = …} and
 * its {@code WHERE state IN (…)} come from a {@link JobTransition}, which exists only for edges of
 * {@link JobState}'s table. No other class of the store writes a job's state; the statements that
 * only act on a live lease (renew, extend, progress) take their lease guard from here too.
 *
 * <p>Every move is published as one job change event after its transaction commits
 * ({@link #moved}), by the code that ran the statement, for the rows it changed. Its "from" is
 * known outright where the transition has one source state (claim, start, cancel before a claim,
 * take back, dead-letter retry) and read under the row lock the callers take anyway elsewhere;
 * for a leased job (assigned or running) it is running exactly when {@code started_at} is set
 * (every way back to pending clears it, the start sets it).
 */
final class JobTransitions {
    private JobTransitions() {}

    private static final Set<JobState> LEASED = EnumSet.of(ASSIGNED, RUNNING);

    static final JobTransition CLAIM = JobTransition.of("claim", ASSIGNED, PENDING);
    static final JobTransition START = JobTransition.of("start", RUNNING, ASSIGNED);
    static final JobTransition COMPLETE = new JobTransition("complete", LEASED, SUCCEEDED);
    static final JobTransition RETRY_LATER = new JobTransition("retry after a failed attempt", LEASED, PENDING);
    static final JobTransition RELEASE = new JobTransition("release", LEASED, PENDING);
    static final JobTransition FAIL = new JobTransition("fail", LEASED, FAILED);
    static final JobTransition STOP_CANCELLED = new JobTransition("stopped: cancelled", LEASED, CANCELLED);
    static final JobTransition STOP_TIMED_OUT = new JobTransition("stopped: timed out", LEASED, TIMED_OUT);
    static final JobTransition CANCEL_PENDING = JobTransition.of("cancel before a claim", CANCELLED, PENDING);
    static final JobTransition TAKE_BACK = JobTransition.of("take back an expired lease", ASSIGNED, PENDING);
    static final JobTransition TAKE_BACK_STARTED = JobTransition.of("take back an expired lease of a started job", RUNNING, PENDING);
    static final JobTransition RETRY = JobTransition.of("operator retry", PENDING, FAILED, CANCELLED, TIMED_OUT);
    static final JobTransition RETRY_DEAD_LETTERS = JobTransition.of("dead-letter retry", PENDING, FAILED);

    /** Every transition the store makes. */
    static final List<JobTransition> ALL = List.of(CLAIM, START, COMPLETE, RETRY_LATER, RELEASE, FAIL, STOP_CANCELLED,
            STOP_TIMED_OUT, CANCEL_PENDING, TAKE_BACK, TAKE_BACK_STARTED, RETRY, RETRY_DEAD_LETTERS);

    /**
     * Publishes, once the transaction of {@code h} commits (never when it rolls back), that each
     * of {@code jobIds} moved by {@code t} from {@code from}: one event per job.
     */
    static void moved(Handle h, ChangeEvents events, JobTransition t, JobState from, Collection<String> jobIds) {
        moved(h, events, t, from, jobIds, Map.of());
    }

    /**
     * As {@link #moved(Handle, ChangeEvents, JobTransition, JobState, Collection)}, with the folder
     * of each job where the caller read it anyway ({@code folders}; a job missing there is
     * published without, and the live feed finds it).
     */
    static void moved(Handle h, ChangeEvents events, JobTransition t, JobState from, Collection<String> jobIds,
            Map<String, String> folders) {
        if (!t.appliesTo(from)) {
            throw new IllegalArgumentException(t.name() + " does not start from " + from.wireName());
        }
        events.afterCommit(h, jobIds.stream().map(id -> new Change(Change.Kind.JOB, id, Optional.of(from.wireName()),
                t.to().wireName(), Optional.empty(), Optional.ofNullable(folders.get(id)))).toList());
    }

    static void moved(Handle h, ChangeEvents events, JobTransition t, JobState from, String jobId) {
        moved(h, events, t, from, List.of(jobId));
    }

    /** As {@link #moved(Handle, ChangeEvents, JobTransition, JobState, String)}, for a job in {@code folderId}. */
    static void moved(Handle h, ChangeEvents events, JobTransition t, JobState from, String jobId, String folderId) {
        moved(h, events, t, from, List.of(jobId), Map.of(jobId, folderId));
    }

    /** The state of a leased job, read with {@code started_at IS NOT NULL AS started}: running once started. */
    static JobState leasedState(boolean started) {
        return started ? RUNNING : ASSIGNED;
    }

    /** {@code state IN ('…', …)}: the rows a move may start from (qualified by {@code alias} when not empty). */
    static String stateIn(String alias, Set<JobState> states) {
        return (alias.isEmpty() ? "" : alias + ".") + "state IN ("
                + states.stream().map(s -> "'" + s.wireName() + "'").sorted().collect(Collectors.joining(", ")) + ")";
    }

    /** The guard of a live lease's state: assigned or running. */
    static String leased(String alias) {
        return stateIn(alias, LEASED);
    }

    /**
     * The guard of the rows a claim takes: pending, and not held back by a bound (a schedule fire
     * over {@code max_concurrent_schedules} waits held until {@link ScheduleHolds} releases it).
     * PostgreSQL's claim index (V33) holds exactly these rows.
     */
    static String claimable(String alias) {
        return stateIn(alias, CLAIM.from()) + " AND " + (alias.isEmpty() ? "" : alias + ".") + "held_by IS NULL";
    }

    /** {@code UPDATE target SET state = 'to', set [from] WHERE where AND state IN (from states)}. */
    private static String move(String target, JobTransition t, String set, String from, String where) {
        return "UPDATE " + target + " SET state = '" + t.to().wireName() + "', " + set + from + " WHERE " + where + " AND "
                + stateIn("", t.from());
    }

    private static String lease(boolean byRobot) {
        return "id = :id AND lease_token = :token" + (byRobot ? " AND robot_id = :robot" : "");
    }

    /**
     * The claim: pending → assigned under a new lease of {@code :lease} seconds, the attempt
     * counted. {@code robot} and {@code token}: SQL for the robot and the new token;
     * {@code from}: a FROM clause (or empty) that {@code where} may join.
     */
    static String claim(Dialect dialect, String target, String robot, String token, String from, String where) {
        return move(target, CLAIM, claimSet(dialect, robot, token), from, where);
    }

    /**
     * The claim of rows picked by a candidates query that takes only {@link #claimable} rows
     * ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL): {@code rest} is the rest of the statement
     * after SET ({@code WHERE id IN (…)}, or {@code FROM … WHERE …}). No state guard is added
     * outside the pick: one more condition there may make the planner run the locking subquery
     * again and claim more than its {@code LIMIT}.
     */
    static String claimPicked(Dialect dialect, String target, String robot, String token, String picked, String rest) {
        if (!picked.contains(claimable("c"))) {
            throw new IllegalArgumentException("the candidates of a claim must be claimable: " + picked);
        }
        return "UPDATE " + target + " SET state = '" + CLAIM.to().wireName() + "', " + claimSet(dialect, robot, token) + rest;
    }

    private static String claimSet(Dialect dialect, String robot, String token) {
        return "attempt = attempt + 1, robot_id = " + robot + ", lease_token = " + token
                + ", lease_expires_at = " + dialect.nowPlusSeconds("lease") + ", updated_at = CURRENT_TIMESTAMP,"
                + " cancel_reason = NULL, stop_requested_at = NULL";
    }

    /** The robot began running the job: assigned → running, under lease {@code :token} (and robot {@code :robot}). */
    static String start(boolean byRobot) {
        return move("jobs", START, "started_at = COALESCE(started_at, CURRENT_TIMESTAMP), updated_at = CURRENT_TIMESTAMP",
                "", lease(byRobot));
    }

    /** The job ran to its end: → succeeded with {@code :result}. */
    static String complete(boolean byRobot) {
        return move("jobs", COMPLETE, "result = :result, progress = 100, lease_expires_at = NULL, finished_at = CURRENT_TIMESTAMP,"
                + " updated_at = CURRENT_TIMESTAMP", "", lease(byRobot));
    }

    /** A failed attempt with attempts left: pending after {@code :delay} seconds, with its error and its {@code :signature}. */
    static String retryLater(Dialect dialect) {
        return move("jobs", RETRY_LATER, "robot_id = NULL, lease_token = NULL, lease_expires_at = NULL, started_at = NULL,"
                + " progress = NULL, run_after = " + dialect.nowPlusSeconds("delay") + ", error_type = :type,"
                + " error_message = :message, error_signature = :signature, updated_at = CURRENT_TIMESTAMP", "", "id = :id");
    }

    /** The robot gives the job back unrun: pending at once, the attempt not counted; not while a stop is asked. */
    static String release() {
        return move("jobs", RELEASE, "attempt = attempt - 1, robot_id = NULL, lease_token = NULL, lease_expires_at = NULL,"
                + " started_at = NULL, progress = NULL, run_after = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP", "",
                lease(false) + " AND cancel_reason IS NULL");
    }

    /** The transition that ends a leased job in {@code state}: failed, cancelled or timed out. */
    static JobTransition ending(JobState state) {
        return switch (state) {
            case FAILED -> FAIL;
            case CANCELLED -> STOP_CANCELLED;
            case TIMED_OUT -> STOP_TIMED_OUT;
            default -> throw new IllegalArgumentException("a leased job does not end " + state.wireName());
        };
    }

    /**
     * A leased job ends in {@code state} (failed, cancelled, timed out): its lease gone, with error
     * {@code :type} / {@code :message} (each kept as it was when null).
     */
    static String end(JobState state) {
        return move("jobs", ending(state), "lease_expires_at = NULL, finished_at = CURRENT_TIMESTAMP,"
                + " error_type = COALESCE(:type, error_type), error_message = COALESCE(:message, error_message),"
                + " updated_at = CURRENT_TIMESTAMP", "", "id = :id");
    }

    /** An operator's cancel of a job no robot holds: pending → cancelled. */
    static String cancelPending() {
        return move("jobs", CANCEL_PENDING, "finished_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP", "", "id = :id");
    }

    /**
     * A robot takes back lease {@code :token} that expired while nobody claimed the job since
     * (its attempt {@code :attempt} still the job's): pending → assigned, or running when the
     * attempt had started.
     */
    static String takeBack(Dialect dialect, boolean started) {
        return move("jobs", started ? TAKE_BACK_STARTED : TAKE_BACK, "robot_id = :robot, lease_token = :token,"
                + " lease_expires_at = " + dialect.nowPlusSeconds("seconds") + ", started_at = (SELECT started_at FROM job_attempts"
                + " WHERE job_id = :id AND lease_token = :token), error_type = NULL, error_message = NULL, error_signature = NULL,"
                + " updated_at = CURRENT_TIMESTAMP", "", "id = :id AND lease_token IS NULL AND attempt = :attempt");
    }

    /**
     * An operator's retry of finished jobs {@code <ids>}: pending, runnable now, with at least one
     * more attempt allowed; result, progress and lease cleared.
     */
    static String retry(JobTransition retry) {
        if (retry != RETRY && retry != RETRY_DEAD_LETTERS) {
            throw new IllegalArgumentException(retry.name() + " is not an operator's retry");
        }
        return move("jobs", retry, "max_retries = GREATEST(max_retries, attempt), run_after = CURRENT_TIMESTAMP, robot_id = NULL,"
                + " lease_token = NULL, lease_expires_at = NULL, cancel_reason = NULL, stop_requested_at = NULL, progress = NULL,"
                + " result = NULL, started_at = NULL, finished_at = NULL, updated_at = CURRENT_TIMESTAMP", "", "id IN (<ids>)");
    }

    /** Renews live lease {@code :token} of robot {@code :robot} for {@code :seconds} (a heartbeat, a resume). */
    static String renew(Dialect dialect) {
        return onLiveLease("lease_expires_at = " + dialect.nowPlusSeconds("seconds"), true);
    }

    /** A change of a live lease's job that moves no state (extend, progress): {@code set}, guarded by the lease. */
    static String onLiveLease(String set, boolean byRobot) {
        return "UPDATE jobs SET " + set + " WHERE " + lease(byRobot) + " AND " + leased("");
    }
}
