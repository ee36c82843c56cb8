package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.store.ScheduleStore;
import com.casarerpa.orchestrator.store.WebhookStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Schedules and webhooks start a workflow: its delete is refused while they exist, a cascade removes them. */
public final class TriggerReferences implements WorkflowReferences {
    private final ScheduleStore schedules;
    private final WebhookStore webhooks;

    public TriggerReferences(ScheduleStore schedules, WebhookStore webhooks) {
        this.schedules = schedules;
        this.webhooks = webhooks;
    }

    @Override
    public List<String> describe(String workflowId) {
        List<String> out = new ArrayList<>();
        int s = schedules.countForWorkflow(workflowId);
        if (s > 0) {
            out.add(s + " schedule" + (s == 1 ? "" : "s"));
        }
        int w = webhooks.countForWorkflow(workflowId);
        if (w > 0) {
            out.add(w + " webhook" + (w == 1 ? "" : "s"));
        }
        return out;
    }

    @Override
    public void remove(String workflowId) {
        schedules.deleteForWorkflow(workflowId);
        webhooks.list(Optional.of(workflowId), Optional.empty()).forEach(h -> webhooks.delete(h.id()));
    }
}
