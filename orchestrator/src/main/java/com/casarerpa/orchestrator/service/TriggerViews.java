package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.JobOptions;
import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.domain.Webhook;
import com.casarerpa.orchestrator.workflow.JobOptionsJson;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.store.ScheduleFiring;
import com.casarerpa.orchestrator.store.ScheduleStore;
import com.casarerpa.protocol.rest.TriggerBodies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Schedules, fires and webhooks as the REST API and the CLI's {@code --json} show them. */
public final class TriggerViews {
    private TriggerViews() {}

    public static TriggerBodies.Schedule schedule(Schedule s, List<Instant> nextFires, FolderTree tree) {
        return new TriggerBodies.Schedule(s.id(), s.name(), s.workflowId(), s.cron().text(), s.timezone().getId(), s.enabled(),
                s.misfirePolicy().wireName(), s.misfireLimit(), s.overlapPolicy().wireName(),
                s.nextFireAt().map(t -> local(t, s.timezone())).orElse(null),
                s.lastFireAt().map(t -> local(t, s.timezone())).orElse(null), s.lastJobId().orElse(null), job(s.jobOptions()),
                nextFires.stream().map(t -> local(t, s.timezone())).toList(), s.createdAt().toString(),
                s.updatedAt().toString(), s.createdBy(), FolderAccess.ref(tree, s.folderId()));
    }

    public static TriggerBodies.Fire fire(ScheduleStore.Fire f) {
        return new TriggerBodies.Fire(f.scheduledAt().toString(), f.firedAt().toString(),
                Duration.between(f.scheduledAt(), f.firedAt()).toMillis(), f.kind(), f.outcome(), f.jobId().orElse(null),
                f.reason().orElse(null));
    }

    public static TriggerBodies.Fired fired(ScheduleFiring.Fired f) {
        return new TriggerBodies.Fired(f.scheduleId(), f.scheduledAt().toString(), f.firedAt().toString(),
                f.jobId().isPresent() ? "started" : "skipped", f.jobId().orElse(null), f.reason().orElse(null));
    }

    /**
     * A fire time in its zone: ISO-8601 with offset ({@code 2027-03-29T09:00:00+02:00}), the
     * weekday, the same instant in UTC, the offset alone and whether daylight saving is in force
     * then, so a client shows the change of offset without a time-zone database of its own.
     */
    public static Map<String, Object> time(Instant t, ZoneId zone) {
        return Map.of("at", local(t, zone), "weekday", t.atZone(zone).getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH),
                "utc", t.toString(), "offset", zone.getRules().getOffset(t).getId(),
                "daylight_saving", zone.getRules().isDaylightSavings(t));
    }

    public static String local(Instant t, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone));
    }

    /** A webhook; {@code secret} is added to the answer of the create only. */
    public static TriggerBodies.Webhook webhook(Webhook w, String url, FolderTree tree) {
        return new TriggerBodies.Webhook(w.id(), w.name(), w.workflowId(), url, w.authMode().wireName(), w.variablesPath(),
                w.enabled(), job(w.jobOptions()), w.createdAt().toString(), w.createdBy(), FolderAccess.ref(tree, w.folderId()),
                null);
    }

    /** The options of the jobs a trigger starts; values under secret-looking names hidden, as in a job's view. */
    private static ObjectNode job(JobOptions o) {
        ObjectNode job = (ObjectNode) WorkflowJson.parse(JobOptionsJson.toJson(o));
        job.set("variables", SensitiveValues.variables(job.get("variables"), Set.of()));
        return job;
    }
}
