package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.cron.UnixCron;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.CronExpression;
import com.casarerpa.orchestrator.domain.InvalidCronException;
import com.casarerpa.orchestrator.domain.MisfirePolicy;
import com.casarerpa.orchestrator.domain.OverlapPolicy;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.domain.WorkflowIds;
import com.casarerpa.orchestrator.store.ScheduleFiring;
import com.casarerpa.orchestrator.store.ScheduleStore;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schedule use cases shared by REST, the CLI and deploy triggers: create, change, enable,
 * disable, delete, trigger now, preview and history. Every bad value is an
 * {@link InvalidInputException} naming its field ({@code cron} says which cron field is wrong)
 * and nothing is stored; a taken name is a {@link ConflictException}.
 *
 * <p>A schedule lives in its workflow's folder (and moves with it). The methods that take an
 * {@link Actor} check that folder: a schedule where the caller lacks {@code schedule.read} is not
 * found, as an unknown one; a change needs {@code schedule.change} there ({@link ForbiddenException}).
 * Making one needs {@code schedule.change} in the workflow's folder, whose workflow the caller
 * must be able to read.
 */
public final class Schedules {
    public static final int MAX_PREVIEW = 100;
    static final int MAX_NAME = 200;

    /** The defaults of new schedules: {@code scheduler.timezone} and {@code queue.max_retries}. */
    public record Defaults(ZoneId timezone, int maxRetries) {}

    private final ScheduleStore store;
    private final ScheduleFiring firing;
    private final WorkflowService workflows;
    private final FolderAccess folders;
    private final AuditTrail audit;
    private final Clock clock;
    private final Defaults defaults;
    private final TriggerSignals signals;

    public Schedules(ScheduleStore store, ScheduleFiring firing, WorkflowService workflows, FolderAccess folders,
            AuditTrail audit, Clock clock, Defaults defaults, TriggerSignals signals) {
        this.store = store;
        this.firing = firing;
        this.workflows = workflows;
        this.folders = folders;
        this.audit = audit;
        this.clock = clock;
        this.defaults = defaults;
        this.signals = signals;
    }

    public Schedule create(ScheduleSpec spec, Actor actor) {
        String name = name(spec.name().orElseThrow(() -> new InvalidInputException("name", "is required")));
        String ref = spec.workflow().orElseThrow(() -> new InvalidInputException("workflow_id",
                "is required (or workflow_name): the workflow the schedule starts"));
        Workflow w = workflows.get(ref);
        folders.require(actor, w.folderId(), Permission.WORKFLOW_READ, Permission.SCHEDULE_CHANGE, () -> WorkflowService.notFound(ref));
        Instant now = now();
        Schedule s = checked(spec, new Schedule(WorkflowIds.random("sch_"), name, w.id(),
                cron(spec.cron().orElseThrow(() -> new InvalidInputException("cron", "is required, e.g. \"0 9 * * 1-5\""))),
                defaults.timezone(), true, TriggerJob.options(spec.job(), w, defaults.maxRetries()), MisfirePolicy.FIRE_ONCE,
                Schedule.DEFAULT_MISFIRE_LIMIT, OverlapPolicy.ALLOW, Optional.empty(), Optional.empty(), Optional.empty(),
                now, now, WorkflowService.by(actor), w.folderId()), w);
        audit.atomically(() -> {
            try {
                store.insert(s);
            } catch (UniqueViolationException e) {
                throw taken(name);
            }
            audit.record(actor, "schedule.create", "schedule", s.id(), Map.of("name", name, "workflow_id", w.id(),
                    "cron", s.cron().text()), s.folderId());
        });
        signals.schedulesChanged();
        return s;
    }

    /** Changes the fields {@code spec} names; a new cron, zone or enabling plans the next fire from now. */
    public Schedule update(String id, ScheduleSpec spec, Actor actor) {
        Schedule old = get(id, Permission.SCHEDULE_CHANGE, actor);
        if (spec.workflow().isPresent()) {
            throw new InvalidInputException("workflow_id", "a schedule keeps its workflow; create another schedule instead");
        }
        Workflow w = workflows.get(old.workflowId());
        Schedule s = checked(spec, new Schedule(old.id(), spec.name().map(Schedules::name).orElse(old.name()),
                old.workflowId(), spec.cron().map(Schedules::cron).orElse(old.cron()), old.timezone(), old.enabled(),
                spec.job().isPresent() ? TriggerJob.options(spec.job(), w, defaults.maxRetries()) : old.jobOptions(),
                old.misfirePolicy(), old.misfireLimit(), old.overlapPolicy(), old.nextFireAt(), old.lastFireAt(),
                old.lastJobId(), old.createdAt(), now(), old.createdBy(), old.folderId()), w);
        boolean replan = spec.cron().isPresent() || spec.timezone().isPresent() || s.enabled() != old.enabled();
        if (!replan) {
            s = withNext(s, old.nextFireAt());
        }
        save(s, replan, actor, "schedule.update", Map.of("name", s.name(), "cron", s.cron().text()));
        signals.schedulesChanged();
        return s;
    }

    public Schedule setEnabled(String id, boolean enabled, Actor actor) {
        Schedule old = get(id, Permission.SCHEDULE_CHANGE, actor);
        if (old.enabled() == enabled) {
            return old;
        }
        Schedule s = plan(new Schedule(old.id(), old.name(), old.workflowId(), old.cron(), old.timezone(), enabled,
                old.jobOptions(), old.misfirePolicy(), old.misfireLimit(), old.overlapPolicy(), Optional.empty(),
                old.lastFireAt(), old.lastJobId(), old.createdAt(), now(), old.createdBy(), old.folderId()));
        save(s, true, actor, enabled ? "schedule.enable" : "schedule.disable", Map.of("name", s.name()));
        signals.schedulesChanged();
        return s;
    }

    public void delete(String id, Actor actor) {
        Schedule s = get(id, Permission.SCHEDULE_CHANGE, actor);
        audit.atomically(() -> {
            if (!store.delete(s.id())) {
                throw notFound(id);
            }
            audit.record(actor, "schedule.delete", "schedule", s.id(), Map.of("name", s.name()), s.folderId());
        });
    }

    /** Starts a job now, outside the cron (recorded as a manual fire). */
    public ScheduleFiring.Fired triggerNow(String id, Actor actor) {
        Schedule s = get(id, Permission.SCHEDULE_CHANGE, actor);
        ScheduleFiring.Fired f = audit.atomically(() -> {
            ScheduleFiring.Fired fired = firing.fireNow(s.id()).orElseThrow(() -> notFound(id));
            audit.record(actor, "schedule.trigger", "schedule", s.id(), Map.of("name", s.name(), "job_id", fired.jobId().orElse("")),
                    s.folderId());
            return fired;
        });
        signals.jobsAvailable();
        return f;
    }

    /**
     * Checks a deploy's schedule trigger before the deploy stores anything: cron, time zone,
     * policies, job options (the pinned version only later, against the workflow), and that its
     * name is not taken by a schedule of another workflow, and that the caller may change
     * schedules in {@code folderId}, where the workflow is or goes.
     */
    public void checkTrigger(ScheduleSpec spec, String workflowName, String folderId, Actor actor) {
        if (!actor.may(Permission.SCHEDULE_CHANGE, folderId)) {
            throw folders.forbidden(actor, Permission.SCHEDULE_CHANGE, folderId);
        }
        spec.name().or(() -> Optional.of(workflowName)).flatMap(n -> store.findByName(n.strip())).ifPresent(existing -> {
            if (!workflows.get(existing.workflowId()).name().equals(workflowName)) {
                throw taken(existing.name());
            }
        });
        try {
            TriggerJob.check(spec.job(), defaultMaxRetries());
            cron(spec.cron().orElseThrow(() -> new InvalidInputException("cron", "is required, e.g. \"0 9 * * *\"")));
            spec.timezone().ifPresent(Schedules::zone);
            spec.misfirePolicy().ifPresent(p -> MisfirePolicy.fromWire(p).orElseThrow(() ->
                    new InvalidInputException("misfire_policy", "must be fire_once, skip or fire_all, got \"" + p + "\"")));
            spec.overlapPolicy().ifPresent(p -> OverlapPolicy.fromWire(p).orElseThrow(() ->
                    new InvalidInputException("overlap_policy", "must be allow or skip, got \"" + p + "\"")));
        } catch (InvalidInputException e) {
            throw new InvalidInputException("trigger." + e.field(), e.getMessage());
        }
    }

    /**
     * The schedule of a deploy's trigger: named after the workflow unless the trigger names it;
     * a deploy that repeats the trigger changes that schedule instead of adding another.
     *
     * @throws ConflictException when the name belongs to a schedule of another workflow
     */
    public Schedule applyTrigger(ScheduleSpec spec, String workflowId, String workflowName, Actor actor) {
        ScheduleSpec named = spec.withWorkflow(workflowId, workflowName);
        Optional<Schedule> existing = store.findByName(named.name().orElseThrow());
        if (existing.isEmpty()) {
            return create(named, actor);
        }
        if (!existing.get().workflowId().equals(workflowId)) {
            throw taken(existing.get().name());
        }
        return update(existing.get().id(), new ScheduleSpec(Optional.empty(), Optional.empty(), spec.cron(), spec.timezone(),
                spec.enabled(), spec.misfirePolicy(), spec.misfireLimit(), spec.overlapPolicy(), spec.job()), actor);
    }

    /** By id or, failing that, by name; no access check (for a caller that checks the folder itself). */
    private Schedule get(String idOrName) {
        return store.find(idOrName).or(() -> store.findByName(idOrName)).orElseThrow(() -> notFound(idOrName));
    }

    /** By id or, failing that, by name, when {@code actor} may read it. */
    public Schedule get(String idOrName, Actor actor) {
        return get(idOrName, Permission.SCHEDULE_READ, actor);
    }

    private Schedule get(String idOrName, Permission needed, Actor actor) {
        Schedule s = get(idOrName);
        folders.require(actor, s.folderId(), Permission.SCHEDULE_READ, needed, () -> notFound(idOrName));
        return s;
    }

    /**
     * The schedules {@code actor} may read, of one workflow, in one folder (an id or a path).
     *
     * @throws NotFoundException     for a workflow the caller cannot see schedules of
     * @throws InvalidInputException ({@code folder}) for a folder that does not exist for the caller
     */
    public List<Schedule> list(Optional<String> workflow, Optional<String> folder, Actor actor) {
        Optional<String> workflowId = workflow.map(ref -> workflows.idSeenWith(ref, Permission.SCHEDULE_READ, actor));
        return store.list(workflowId, folders.listed(actor, Permission.SCHEDULE_READ, folder));
    }

    public List<ScheduleStore.Fire> history(String idOrName, int limit, Actor actor) {
        return store.history(get(idOrName, actor).id(), limit);
    }

    /** How many next fire times an answer about one schedule shows (REST and CLI alike). */
    public static final int SHOWN_FIRES = 5;
    /** How many next fire times the answer to a deploy with a schedule trigger shows. */
    public static final int DEPLOY_FIRES = 3;

    /** The next fire times an answer about {@code s} shows: {@code count} from now, none while it is disabled. */
    public List<Instant> upcoming(Schedule s, int count) {
        return s.enabled() ? s.cron().next(now(), s.timezone(), previewCount(count)) : List.of();
    }

    /** The next {@code count} fire times of a saved schedule, from now. */
    public List<Instant> preview(String idOrName, int count, Actor actor) {
        Schedule s = get(idOrName, actor);
        return s.cron().next(now(), s.timezone(), previewCount(count));
    }

    /** The next {@code count} fire times of an expression, from now; for {@code test-cron} and the API. */
    public List<Instant> preview(String cron, Optional<String> timezone, int count) {
        return cron(cron).next(now(), timezone.map(Schedules::zone).orElse(defaults.timezone()), previewCount(count));
    }

    private int defaultMaxRetries() {
        return defaults.maxRetries();
    }

    public ZoneId defaultZone() {
        return defaults.timezone();
    }

    private Schedule checked(ScheduleSpec spec, Schedule s, Workflow w) {
        ZoneId zone = spec.timezone().map(Schedules::zone).orElse(s.timezone());
        boolean enabled = spec.enabled().orElse(s.enabled());
        MisfirePolicy misfire = spec.misfirePolicy().map(p -> MisfirePolicy.fromWire(p).orElseThrow(() ->
                new InvalidInputException("misfire_policy", "must be fire_once, skip or fire_all, got \"" + p + "\""))).orElse(s.misfirePolicy());
        int limit = spec.misfireLimit().orElse(s.misfireLimit());
        if (limit < 1 || limit > Schedule.MAX_MISFIRE_LIMIT) {
            throw new InvalidInputException("misfire_limit", "must be from 1 to " + Schedule.MAX_MISFIRE_LIMIT + ", got " + limit);
        }
        OverlapPolicy overlap = spec.overlapPolicy().map(p -> OverlapPolicy.fromWire(p).orElseThrow(() ->
                new InvalidInputException("overlap_policy", "must be allow or skip, got \"" + p + "\""))).orElse(s.overlapPolicy());
        return plan(new Schedule(s.id(), s.name(), w.id(), s.cron(), zone, enabled, s.jobOptions(), misfire, limit, overlap,
                s.nextFireAt(), s.lastFireAt(), s.lastJobId(), s.createdAt(), s.updatedAt(), s.createdBy(), s.folderId()));
    }

    /** The schedule with its next fire time planned from now (none while disabled). */
    private Schedule plan(Schedule s) {
        return withNext(s, s.enabled() ? s.cron().nextAfter(now(), s.timezone()) : Optional.empty());
    }

    private static Schedule withNext(Schedule s, Optional<Instant> next) {
        return new Schedule(s.id(), s.name(), s.workflowId(), s.cron(), s.timezone(), s.enabled(), s.jobOptions(),
                s.misfirePolicy(), s.misfireLimit(), s.overlapPolicy(), next, s.lastFireAt(), s.lastJobId(), s.createdAt(),
                s.updatedAt(), s.createdBy(), s.folderId());
    }

    /** Writes the changed schedule and its audit event, in one transaction. */
    private void save(Schedule s, boolean replan, Actor actor, String action, Map<String, Object> details) {
        audit.atomically(() -> {
            try {
                if (!store.update(s, replan)) {
                    throw notFound(s.id());
                }
            } catch (UniqueViolationException e) {
                throw taken(s.name());
            }
            audit.record(actor, action, "schedule", s.id(), details, s.folderId());
        });
    }

    /** The folder tree, to show folders in answers (read once per answer). */
    public FolderTree folderTree() {
        return folders.tree();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** @throws InvalidInputException on field {@code cron}, saying which cron field is wrong */
    public static CronExpression cron(String text) {
        try {
            return UnixCron.parse(text);
        } catch (InvalidCronException e) {
            throw new InvalidInputException("cron", e.getMessage());
        }
    }

    /** @throws InvalidInputException on field {@code timezone} for a zone that is not an IANA id */
    public static ZoneId zone(String id) {
        try {
            return ZoneId.of(id.strip());
        } catch (DateTimeException e) {
            throw new InvalidInputException("timezone", "\"" + id + "\" is not an IANA time zone such as Europe/Berlin,"
                    + " America/New_York or UTC");
        }
    }

    private static int previewCount(int count) {
        if (count < 1 || count > MAX_PREVIEW) {
            throw new InvalidInputException("count", "must be from 1 to " + MAX_PREVIEW + ", got " + count);
        }
        return count;
    }

    private static String name(String name) {
        String n = name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME) {
            throw new InvalidInputException("name", "must be 1 to " + MAX_NAME + " characters");
        }
        return n;
    }

    private static ConflictException taken(String name) {
        return new ConflictException("A schedule named \"" + name + "\" exists already; choose another name or change"
                + " that schedule (PATCH /api/v1/schedules/{id}).", Map.of("name", name));
    }

    private static NotFoundException notFound(String idOrName) {
        return new NotFoundException("No schedule with id or name \"" + idOrName + "\".");
    }
}
