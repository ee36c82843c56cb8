package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.domain.JobOptions;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Submitted;
import com.casarerpa.orchestrator.domain.Webhook;
import com.casarerpa.orchestrator.domain.WebhookAuth;
import com.casarerpa.orchestrator.domain.Workflow;
import com.casarerpa.orchestrator.domain.WorkflowIds;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import com.casarerpa.orchestrator.store.WebhookStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Webhook triggers: create (the secret is shown once), list, get, enable, disable, delete, and
 * {@link #receive}: check the request's signature or key, refuse replays, and start the job.
 *
 * <p>Replays: a signed request carries its timestamp and delivery id inside the signature; a
 * timestamp more than {@link #TOLERANCE} from this instance's clock is refused (401), and within
 * the window a delivery id already seen returns the job it started ({@code created=false}),
 * because the job's idempotency key is {@code webhook:<id>:<delivery id>}, in the webhook's own
 * scope (no API caller's key can take it). The same delivery id with another body is a
 * {@link ConflictException} {@code idempotency_conflict}.
 *
 * <p>A webhook lives in its workflow's folder (and moves with it). Management checks that folder:
 * a webhook where the caller lacks {@code webhook.read} is not found, as an unknown one; a change
 * needs {@code webhook.change} there, making one {@code webhook.change} in the folder of a
 * workflow the caller can read. {@link #receive} checks the request's own signature or key.
 */
public final class Webhooks {
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    public static final int MAX_BODY = 1024 * 1024;
    static final int MAX_DELIVERY_ID = 150;

    /** A new webhook and its secret, which is never shown again. */
    public record Created(Webhook webhook, String secret) {}

    /** The job a delivery started; {@code created=false} when the delivery id was seen before. */
    public record Received(String jobId, boolean created, Optional<String> deliveryId) {}

    private final WebhookStore store;
    private final JobStore jobs;
    private final WorkflowService workflows;
    private final FolderAccess folders;
    private final AuditTrail audit;
    private final Clock clock;
    private final JobIds ids;
    private final Schedules.Defaults defaults;
    private final JobSignals signals;
    private final SecureRandom random = new SecureRandom();

    public Webhooks(WebhookStore store, JobStore jobs, WorkflowService workflows, FolderAccess folders, AuditTrail audit,
            Clock clock, Schedules.Defaults defaults, JobSignals signals) {
        this.store = store;
        this.jobs = jobs;
        this.workflows = workflows;
        this.folders = folders;
        this.audit = audit;
        this.clock = clock;
        this.ids = new JobIds(clock, random);
        this.defaults = defaults;
        this.signals = signals;
    }

    /**
     * @param variablesPath a JSON pointer into the body ({@code /data/inputs}); empty is the whole body
     */
    public Created create(String name, String workflow, String authMode, String variablesPath, Optional<JsonNode> job,
            Actor actor) {
        String n = name.strip();
        if (n.isEmpty() || n.length() > Schedules.MAX_NAME) {
            throw new InvalidInputException("name", "must be 1 to " + Schedules.MAX_NAME + " characters");
        }
        WebhookAuth auth = WebhookAuth.fromWire(authMode).orElseThrow(() -> new InvalidInputException("auth_mode",
                "must be hmac (a signature header) or key (a key header), got \"" + authMode + "\""));
        if (!variablesPath.isEmpty() && !variablesPath.startsWith("/")) {
            throw new InvalidInputException("variables_path", "must be a JSON pointer such as /data (or empty for the whole body)");
        }
        Workflow w = workflows.get(workflow);
        folders.require(actor, w.folderId(), Permission.WORKFLOW_READ, Permission.WEBHOOK_CHANGE,
                () -> WorkflowService.notFound(workflow));
        JobOptions options = TriggerJob.options(job, w, defaults.maxRetries());
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = (auth == WebhookAuth.HMAC ? "whsec_" : "whkey_") + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Webhook hook = new Webhook(WorkflowIds.random("wh_"), n, w.id(), auth,
                auth == WebhookAuth.HMAC ? secret : WebhookAuth.keyHash(secret), variablesPath, options, true, clock.instant(),
                WorkflowService.by(actor), w.folderId());
        audit.atomically(() -> {
            try {
                store.insert(hook);
            } catch (UniqueViolationException e) {
                throw new ConflictException("A webhook named \"" + n + "\" exists already; choose another name.", Map.of("name", n));
            }
            audit.record(actor, "webhook.create", "webhook", hook.id(), Map.of("name", n, "workflow_id", w.id(),
                    "auth_mode", auth.wireName()), hook.folderId());
        });
        return new Created(hook, secret);
    }

    /** The webhook, when {@code actor} may read it (else not found, as an unknown one). */
    public Webhook get(String idOrName, Actor actor) {
        return get(idOrName, Permission.WEBHOOK_READ, actor);
    }

    private Webhook get(String idOrName, Permission needed, Actor actor) {
        Supplier<NotFoundException> notFound = () -> new NotFoundException("No webhook with id or name \"" + idOrName + "\".");
        Webhook w = store.find(idOrName).orElseThrow(notFound);
        folders.require(actor, w.folderId(), Permission.WEBHOOK_READ, needed, notFound);
        return w;
    }

    /**
     * The webhooks {@code actor} may read, of one workflow, in one folder (an id or a path).
     *
     * @throws NotFoundException     for a workflow the caller cannot see webhooks of
     * @throws InvalidInputException ({@code folder}) for a folder that does not exist for the caller
     */
    public List<Webhook> list(Optional<String> workflow, Optional<String> folder, Actor actor) {
        Optional<String> workflowId = workflow.map(ref -> workflows.idSeenWith(ref, Permission.WEBHOOK_READ, actor));
        return store.list(workflowId, folders.listed(actor, Permission.WEBHOOK_READ, folder));
    }

    public Webhook setEnabled(String idOrName, boolean enabled, Actor actor) {
        Webhook w = get(idOrName, Permission.WEBHOOK_CHANGE, actor);
        audit.atomically(() -> {
            store.setEnabled(w.id(), enabled);
            audit.record(actor, enabled ? "webhook.enable" : "webhook.disable", "webhook", w.id(), Map.of("name", w.name()),
                    w.folderId());
        });
        return get(w.id(), actor);
    }

    public void delete(String idOrName, Actor actor) {
        Webhook w = get(idOrName, Permission.WEBHOOK_CHANGE, actor);
        audit.atomically(() -> {
            store.delete(w.id());
            audit.record(actor, "webhook.delete", "webhook", w.id(), Map.of("name", w.name()), w.folderId());
        });
    }

    /**
     * Authenticates a delivery and starts its job.
     *
     * @throws NotFoundException     no enabled webhook with this id
     * @throws WebhookRejected       bad or missing signature or key, timestamp outside the window
     * @throws InvalidInputException the body is not JSON, or its part at the variables path is no object
     * @throws ConflictException     the delivery id was used before with another body ({@code idempotency_conflict})
     */
    public Received receive(String id, WebhookDelivery d) {
        Webhook w = store.find(id).filter(h -> h.id().equals(id) && h.enabled())
                .orElseThrow(() -> new NotFoundException("No enabled webhook " + id + "."));
        authenticate(w, d);
        String variables = variables(w, d.body());
        int version = w.jobOptions().version().orElseGet(() -> workflows.get(w.workflowId()).latestVersion());
        JobOptions o = w.jobOptions();
        String scope = "webhook:" + w.id();
        Optional<JobStore.Idempotency> key = d.deliveryId().map(k -> new JobStore.Idempotency(scope, scope + ":" + k,
                RequestFingerprints.ofBody(d.body())));
        Submitted s = jobs.submit(new JobStore.NewJob(ids.next(), w.workflowId(), version, o.priority(), variables,
                o.requiredCapabilities(), o.tags(), o.environment(), key, o.maxRetries(), o.timeoutSeconds(), "webhook", scope));
        if (!s.sameRequest()) {
            throw ConflictException.idempotency("X-Casare-Delivery", d.deliveryId().orElseThrow());
        }
        if (s.created()) {
            signals.jobsAvailable();
        }
        return new Received(s.job().id(), s.created(), d.deliveryId());
    }

    /** The folder tree, to show folders in answers (read once per answer). */
    public FolderTree folderTree() {
        return folders.tree();
    }

    private void authenticate(Webhook w, WebhookDelivery d) {
        d.deliveryId().ifPresent(k -> {
            if (k.isBlank() || k.length() > MAX_DELIVERY_ID) {
                throw new WebhookRejected("X-Casare-Delivery must be 1 to " + MAX_DELIVERY_ID + " characters");
            }
        });
        if (w.authMode() == WebhookAuth.KEY) {
            String key = d.key().orElseThrow(() -> new WebhookRejected("this webhook needs its key in the X-Casare-Webhook-Key header"));
            if (!WebhookAuth.same(WebhookAuth.keyHash(key), w.secret())) {
                throw new WebhookRejected("wrong webhook key");
            }
            return;
        }
        String signature = d.signature().orElseThrow(() -> new WebhookRejected("this webhook needs an X-Casare-Signature header"
                + " (sha256=<HMAC-SHA256 of timestamp.delivery.body>)"));
        String timestamp = d.timestamp().orElseThrow(() -> new WebhookRejected("X-Casare-Timestamp (Unix seconds) is required"));
        String delivery = d.deliveryId().orElseThrow(() -> new WebhookRejected("X-Casare-Delivery (a unique id per delivery) is required"));
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new WebhookRejected("X-Casare-Timestamp must be Unix seconds, got \"" + timestamp + "\"");
        }
        if (!WebhookAuth.same(WebhookAuth.signature(w.secret(), timestamp.strip(), delivery, d.body()), signature.strip())) {
            throw new WebhookRejected("signature does not match (HMAC-SHA256 of timestamp.delivery.body with the webhook's secret)");
        }
        // Compared in seconds: a timestamp far outside the range of Instant is just as stale.
        long now = clock.instant().getEpochSecond();
        if (seconds < now - TOLERANCE.toSeconds() || seconds > now + TOLERANCE.toSeconds()) {
            throw new WebhookRejected("X-Casare-Timestamp " + seconds + " is more than " + TOLERANCE.toMinutes()
                    + " minutes from the server's time: a replay, or the sender's clock is wrong");
        }
    }

    private static String variables(Webhook w, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return "{}";
        }
        JsonNode node;
        try {
            node = WorkflowJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("body", "not valid JSON: " + e.getMessage());
        }
        JsonNode part = w.variablesPath().isEmpty() ? node : node.at(w.variablesPath());
        if (!part.isObject()) {
            throw new InvalidInputException("body" + w.variablesPath(), "must be a JSON object: it becomes the job's variables");
        }
        return WorkflowJson.compact(part);
    }
}
