package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.JobOptions;
import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.domain.Webhook;
import com.casarerpa.orchestrator.workflow.JobOptionsJson;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.store.ScheduleFiring;
import com.casarerpa.orchestrator.store.ScheduleStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Schedules, fires and webhooks as the REST API and the CLI's {@code --json} show them. */
public final class TriggerViews {
    private TriggerViews() {}

    public static Map<String, Object> schedule(Schedule s, List<Instant> nextFires) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("workflow_id", s.workflowId());
        m.put("cron", s.cron().text());
        m.put("timezone", s.timezone().getId());
        m.put("enabled", s.enabled());
        m.put("misfire_policy", s.misfirePolicy().wireName());
        m.put("misfire_limit", s.misfireLimit());
        m.put("overlap_policy", s.overlapPolicy().wireName());
        m.put("next_fire_at", s.nextFireAt().map(t -> local(t, s.timezone())).orElse(null));
        m.put("last_fire_at", s.lastFireAt().map(t -> local(t, s.timezone())).orElse(null));
        m.put("last_job_id", s.lastJobId().orElse(null));
        m.put("job", job(s.jobOptions()));
        m.put("next_fire_times", nextFires.stream().map(t -> local(t, s.timezone())).toList());
        m.put("created_at", s.createdAt().toString());
        m.put("updated_at", s.updatedAt().toString());
        m.put("created_by", s.createdBy());
        return m;
    }

    public static Map<String, Object> fire(ScheduleStore.Fire f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scheduled_at", f.scheduledAt().toString());
        m.put("fired_at", f.firedAt().toString());
        m.put("lag_ms", Duration.between(f.scheduledAt(), f.firedAt()).toMillis());
        m.put("kind", f.kind());
        m.put("outcome", f.outcome());
        m.put("job_id", f.jobId().orElse(null));
        m.put("reason", f.reason().orElse(null));
        return m;
    }

    public static Map<String, Object> fired(ScheduleFiring.Fired f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schedule_id", f.scheduleId());
        m.put("scheduled_at", f.scheduledAt().toString());
        m.put("fired_at", f.firedAt().toString());
        m.put("outcome", f.jobId().isPresent() ? "started" : "skipped");
        m.put("job_id", f.jobId().orElse(null));
        m.put("reason", f.skipReason().orElse(null));
        return m;
    }

    /** A fire time in its zone: ISO-8601 with offset, and the weekday ({@code 2027-03-29T09:00+02:00}). */
    public static Map<String, Object> time(Instant t, ZoneId zone) {
        return Map.of("at", local(t, zone), "weekday", t.atZone(zone).getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    }

    public static String local(Instant t, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone));
    }

    public static Map<String, Object> webhook(Webhook w, String url) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("name", w.name());
        m.put("workflow_id", w.workflowId());
        m.put("url", url);
        m.put("auth_mode", w.authMode().wireName());
        m.put("variables_path", w.variablesPath());
        m.put("enabled", w.enabled());
        m.put("job", job(w.jobOptions()));
        m.put("created_at", w.createdAt().toString());
        m.put("created_by", w.createdBy());
        return m;
    }

    /** The options of the jobs a trigger starts; values under secret-looking names hidden, as in a job's view. */
    private static Object job(JobOptions o) {
        ObjectNode job = (ObjectNode) WorkflowJson.parse(JobOptionsJson.toJson(o));
        job.set("variables", SensitiveValues.variables(job.get("variables"), Set.of()));
        return job;
    }
}
