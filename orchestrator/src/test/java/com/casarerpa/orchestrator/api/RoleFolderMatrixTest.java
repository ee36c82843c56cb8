package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Grants;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.testing.FolderFixture;
import com.casarerpa.orchestrator.testing.FolderFixture.Binding;
import com.casarerpa.orchestrator.testing.FolderFixture.Resources;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.casarerpa.orchestrator.testing.OpenApiOperations;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Role × folder × route: with folders A, B and C, a caller holding operator in A and viewer in B
 * (and a second one, folder admin in A and viewer in B, for the routes an operator cannot reach at
 * all) sends every request of the workflow, job, schedule, webhook, robot and audit routes at
 * resources of each folder, and of the folder routes at the folder itself and its bindings. What
 * it should get follows from the OpenAPI document's {@code x-casare-access} and the roles'
 * permissions in that folder (its parent's, for deleting a folder): through where it holds the
 * permission; 403 naming the permission and the folder where it reads but may not; 404 where it
 * cannot read, with the very message an unknown id gets; 403 on every folder when it holds the
 * permission nowhere. Listings show A's and B's resources (robots, folders), never C's. Routes of
 * installation permissions (users, groups, service accounts, keys, custom roles, a robot's
 * folders), held at the root only, are the gate's alone. Every route of the document must have
 * a case here, be one of those, or have an access {@link #ELSEWHERE} says is tested elsewhere, so
 * a route added later fails this test until it is covered.
 */
class RoleFolderMatrixTest {
    private static final String W = "/api/v1/workflows";
    private static final String F = "/api/v1/folders";
    private static final String R = "/api/v1/robots";

    @TempDir
    Path workDir;

    /**
     * How to reach one route for the resources of one folder, which permission makes them visible,
     * and the folder whose permission decides (the resources' own, or another: deleting a folder
     * is its parent's business).
     */
    private record Case(Permission read, Function<Resources, String> path, Function<Resources, String> body, int invisible,
            Function<Resources, String> decidedIn) {
        static Case of(Permission read, Function<Resources, String> path) {
            return new Case(read, path, r -> "{}", 404, Resources::folderId);
        }

        Case withBody(Function<Resources, String> b) {
            return new Case(read, path, b, invisible, decidedIn);
        }

        Case whenInvisible(int status) {
            return new Case(read, path, body, status, decidedIn);
        }

        Case decidedIn(Function<Resources, String> folder) {
            return new Case(read, path, body, invisible, folder);
        }
    }

    private static Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        c.put("POST " + W, Case.of(Permission.WORKFLOW_READ, r -> W).whenInvisible(400).withBody(r -> "{\"name\":\"" + r.workflowName()
                + "-new\",\"folder\":\"" + r.folderId() + "\",\"workflow_data\":" + Samples.chain("x", "a") + "}"));
        c.put("GET " + W + "/export", Case.of(Permission.WORKFLOW_READ, r -> W + "/export?workflow=" + r.workflowId()));
        c.put("GET " + W + "/{id}", Case.of(Permission.WORKFLOW_READ, r -> W + "/" + r.workflowId()));
        c.put("PATCH " + W + "/{id}", Case.of(Permission.WORKFLOW_READ, r -> W + "/" + r.workflowId())
                .withBody(r -> "{\"description\":\"changed\"}"));
        c.put("DELETE " + W + "/{id}", Case.of(Permission.WORKFLOW_READ, r -> W + "/" + r.workflowId()));
        c.put("GET " + W + "/{id}/versions", Case.of(Permission.WORKFLOW_READ, r -> W + "/" + r.workflowId() + "/versions"));
        c.put("GET " + W + "/{id}/versions/{version}", Case.of(Permission.WORKFLOW_READ,
                r -> W + "/" + r.workflowId() + "/versions/1"));
        c.put("POST /api/v1/jobs", Case.of(Permission.WORKFLOW_READ, r -> "/api/v1/jobs")
                .withBody(r -> "{\"workflow_id\":\"" + r.workflowId() + "\"}"));
        c.put("POST /api/v1/jobs/batch", Case.of(Permission.WORKFLOW_READ, r -> "/api/v1/jobs/batch")
                .withBody(r -> "{\"jobs\":[{\"workflow_id\":\"" + r.workflowId() + "\"}]}"));
        c.put("GET /api/v1/jobs/{id}", Case.of(Permission.JOB_READ, r -> "/api/v1/jobs/" + r.jobId()));
        c.put("GET /api/v1/jobs/{id}/logs", Case.of(Permission.JOB_READ, r -> "/api/v1/jobs/" + r.jobId() + "/logs"));
        c.put("POST /api/v1/jobs/{id}/cancel", Case.of(Permission.JOB_READ, r -> "/api/v1/jobs/" + r.jobId() + "/cancel"));
        c.put("POST /api/v1/jobs/{id}/retry", Case.of(Permission.JOB_READ, r -> "/api/v1/jobs/" + r.jobId() + "/retry"));
        c.put("POST /api/v1/schedules", Case.of(Permission.WORKFLOW_READ, r -> "/api/v1/schedules")
                .withBody(r -> "{\"name\":\"" + r.workflowName() + "-s2\",\"workflow_id\":\"" + r.workflowId()
                        + "\",\"cron\":\"0 0 1 1 *\"}"));
        for (String sub : List.of("", "/next", "/history")) {
            c.put("GET /api/v1/schedules/{id}" + sub, Case.of(Permission.SCHEDULE_READ, r -> "/api/v1/schedules/" + r.scheduleId() + sub));
        }
        c.put("PATCH /api/v1/schedules/{id}", Case.of(Permission.SCHEDULE_READ, r -> "/api/v1/schedules/" + r.scheduleId())
                .withBody(r -> "{\"cron\":\"0 0 2 1 *\"}"));
        c.put("DELETE /api/v1/schedules/{id}", Case.of(Permission.SCHEDULE_READ, r -> "/api/v1/schedules/" + r.scheduleId()));
        for (String sub : List.of("/enable", "/disable", "/trigger")) {
            c.put("POST /api/v1/schedules/{id}" + sub, Case.of(Permission.SCHEDULE_READ, r -> "/api/v1/schedules/" + r.scheduleId() + sub));
        }
        c.put("POST /api/v1/webhooks", Case.of(Permission.WORKFLOW_READ, r -> "/api/v1/webhooks")
                .withBody(r -> "{\"name\":\"" + r.workflowName() + "-h2\",\"workflow_id\":\"" + r.workflowId() + "\"}"));
        c.put("GET /api/v1/webhooks/{id}", Case.of(Permission.WEBHOOK_READ, r -> "/api/v1/webhooks/" + r.webhookId()));
        c.put("DELETE /api/v1/webhooks/{id}", Case.of(Permission.WEBHOOK_READ, r -> "/api/v1/webhooks/" + r.webhookId()));
        for (String sub : List.of("/enable", "/disable")) {
            c.put("POST /api/v1/webhooks/{id}" + sub, Case.of(Permission.WEBHOOK_READ, r -> "/api/v1/webhooks/" + r.webhookId() + sub));
        }
        folderCases(c);
        c.put("GET " + R + "/{id}", Case.of(Permission.ROBOT_READ, r -> R + "/" + r.robotId()));
        c.put("GET " + R + "/{id}/samples", Case.of(Permission.ROBOT_READ, r -> R + "/" + r.robotId() + "/samples"));
        c.put("POST " + R + "/{id}/maintenance", Case.of(Permission.ROBOT_READ, r -> R + "/" + r.robotId() + "/maintenance")
                .withBody(r -> "{\"enabled\":true}"));
        return c;
    }

    /** The folder itself is the resource: a sub-folder made in it, the folder shown, described, deleted, its bindings. */
    private static void folderCases(Map<String, Case> c) {
        c.put("POST " + F, Case.of(Permission.FOLDER_READ, r -> F).whenInvisible(400)
                .withBody(r -> "{\"name\":\"" + r.workflowName() + "-sub\",\"parent\":\"" + r.folderId() + "\"}"));
        c.put("GET " + F + "/{id}", Case.of(Permission.FOLDER_READ, r -> F + "/" + r.folderId()));
        c.put("PATCH " + F + "/{id}", Case.of(Permission.FOLDER_READ, r -> F + "/" + r.folderId())
                .withBody(r -> "{\"description\":\"changed\"}"));
        // Deleting (like renaming or moving) a folder changes its parent's contents: the root's here.
        c.put("DELETE " + F + "/{id}", Case.of(Permission.FOLDER_READ, r -> F + "/" + r.folderId()).decidedIn(r -> FolderFixture.ROOT));
        c.put("GET " + F + "/{id}/bindings", Case.of(Permission.FOLDER_READ, r -> F + "/" + r.folderId() + "/bindings"));
        c.put("POST " + F + "/{id}/bindings", Case.of(Permission.FOLDER_READ, r -> F + "/" + r.folderId() + "/bindings")
                .withBody(r -> "{\"principal\":{\"kind\":\"group\",\"name\":\"" + FolderFixture.groupOf(r) + "\"},\"role\":\"operator\"}"));
        c.put("DELETE " + F + "/{id}/bindings/{bindingId}", Case.of(Permission.FOLDER_READ,
                r -> F + "/" + r.folderId() + "/bindings/" + r.bindingId()));
    }

    /** Routes over the jobs of many folders, each job's folder deciding for it (JobSearchApiTest, JobInsightApiTest, JobBulkApiTest): the gate alone is checked here. */
    private static final Set<String> JOBS_OF_MANY_FOLDERS = Set.of("GET /api/v1/jobs/failure-groups", "GET /api/v1/jobs/stuck",
            "POST /api/v1/jobs/bulk", "GET /api/v1/jobs/bulk", "GET /api/v1/jobs/bulk/{id}", "POST /api/v1/jobs/bulk/{id}/cancel");

    /**
     * Routes checked apart: listings (below), and routes of no folder's resource, where the gate
     * alone decides (besides these, every route of an installation permission, held at the root only).
     */
    private static final Set<String> LISTINGS = Set.of("GET " + W, "GET /api/v1/jobs", "GET /api/v1/schedules",
            "GET /api/v1/webhooks", "GET /api/v1/audit", "GET " + F, "GET " + R);
    private static final Set<String> NO_FOLDER = Set.of("GET /api/v1/schedules/preview", "POST /api/v1/jobs/retry",
            "GET /api/v1/roles");
    /** Figures over many folders' resources, scoped as the listings are: OverviewApiTest checks that a folder's viewer sees its own alone. */
    private static final Set<String> AGGREGATES = Set.of("GET /api/v1/overview");
    /** The accesses of routes out of this test's scope, and why. */
    private static final Map<String, String> ELSEWHERE = Map.of(
            "public", "no caller to hold a role: health, sign-in and single sign-on check their own secrets (RoleMatrixTest)",
            "signed_in", "any caller, on its own session and personal tokens, which carry only roles the person holds"
                    + " (FolderAdministrationApiTest)",
            "webhook", "the webhook's own key or signature, not a role (RoleMatrixTest, WebhookApiTest)",
            "metrics", "the networks of metrics.open_to, or orchestrator.read (RoleMatrixTest, MetricsAccessTest)",
            "robot.connect", "the robot protocol: a robot acts as itself on its own jobs; which folders' jobs it gets is"
                    + " RobotFoldersTest's");

    @Test
    void every_resource_route_answers_each_folder_as_the_callers_roles_there_allow() {
        try (JobApiServer s = JobApiServer.embedded(workDir)) {
            FolderFixture f = new FolderFixture(s);
            String a = f.folder("A", FolderFixture.ROOT);
            String b = f.folder("B", FolderFixture.ROOT);
            String c = f.folder("C", FolderFixture.ROOT);
            Map<String, Binding[]> callers = new LinkedHashMap<>();
            callers.put("operator in A, viewer in B", new Binding[] {new Binding("operator", a), new Binding("viewer", b)});
            callers.put("folder admin in A, viewer in B", new Binding[] {new Binding("folder_admin", a), new Binding("viewer", b)});

            Map<String, String> documented = new LinkedHashMap<>();
            Set<String> gateOnly = new TreeSet<>(NO_FOLDER);
            gateOnly.addAll(JOBS_OF_MANY_FOLDERS);
            for (OpenApiOperations.Operation op : OpenApiOperations.of(s.get("/openapi.json").json())) {
                if (!ELSEWHERE.containsKey(op.access())) {
                    String route = op.method() + " " + op.path();
                    documented.put(route, op.access());
                    if (!Permission.fromWire(op.access()).orElseThrow(() -> new AssertionError(route + ": " + op.access()))
                            .folderScoped()) {
                        gateOnly.add(route);
                    }
                }
            }
            Map<String, Case> cases = cases();
            Set<String> uncovered = new TreeSet<>(documented.keySet());
            uncovered.removeAll(cases.keySet());
            uncovered.removeAll(LISTINGS);
            uncovered.removeAll(AGGREGATES);
            uncovered.removeAll(gateOnly);
            assertThat(uncovered).as("routes of a folder's resources in the document without a case in this test").isEmpty();
            assertThat(gateOnly).as("installation routes").contains("POST /api/v1/users", "POST /api/v1/service-accounts/{id}/keys",
                    "PUT /api/v1/robots/{id}/folders", "POST " + W + "/import");

            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, Binding[]> caller : callers.entrySet()) {
                String key = f.keyWith(caller.getValue());
                Grants grants = f.grantsOf(caller.getValue());
                for (Map.Entry<String, Case> route : cases.entrySet()) {
                    Permission needed = Permission.fromWire(documented.get(route.getKey())).orElseThrow();
                    for (String folder : List.of(a, b, c)) {
                        check(wrong, s.http, caller.getKey(), key, route.getKey(), route.getValue(), needed, grants,
                                f.resourcesIn(folder));
                    }
                }
                for (String route : gateOnly) {
                    Permission needed = Permission.fromWire(documented.get(route)).orElseThrow();
                    String method = route.split(" ")[0];
                    String path = route.split(" ")[1].replaceAll("\\{[^}]+}", "x") + (route.endsWith("preview") ? "?cron=0+9+*+*+*" : "");
                    Http.Response r = s.http.send(method, path, "{}", FolderFixture.as(key));
                    expect(wrong, route + " as " + caller.getKey() + ": " + r.status() + " " + r.body(), grants.allowsSomewhere(needed)
                            ? r.status() != 401 && r.status() != 403
                            : r.status() == 403 && r.json().at("/error/details/required_permission").asText().equals(needed.wireName()));
                }
                // Read again: the folders made above (below A) count now.
                checkListings(wrong, s, f, caller.getKey(), key, f.grantsOf(caller.getValue()), a, b, c);
            }
            assertThat(wrong).as("answers that do not follow the caller's roles in the resource's folder").isEmpty();
        }
    }

    private static void check(List<String> wrong, Http http, String who, String key, String route, Case c, Permission needed,
            Grants grants, Resources in) {
        String method = route.split(" ")[0];
        Http.Response r = http.send(method, c.path().apply(in), c.body().apply(in), FolderFixture.as(key));
        String what = route + " in " + in.folderId() + " as " + who + ": " + r.status() + " " + r.body();
        String decides = c.decidedIn().apply(in);
        if (!grants.allowsSomewhere(needed)) {
            expect(wrong, what, r.status() == 403 && r.json().at("/error/details/required_permission").asText()
                    .equals(needed.wireName()));
        } else if (grants.allows(needed, decides)) {
            expect(wrong, what, r.status() != 401 && r.status() != 403 && r.status() != 404 && r.status() < 500);
        } else if (grants.allows(c.read(), in.folderId())) {
            JsonNode details = r.json().at("/error/details");
            expect(wrong, what, r.status() == 403 && details.path("required_permission").asText().equals(needed.wireName())
                    && details.path("folder_id").asText().equals(decides));
        } else {
            // Invisible: the answer an unknown resource gets, message and all (ids aside).
            Resources unknown = FolderFixture.unknown();
            Http.Response u = http.send(method, c.path().apply(unknown), c.body().apply(unknown), FolderFixture.as(key));
            expect(wrong, what + " (unknown: " + u.status() + " " + u.body() + ")", r.status() == c.invisible()
                    && u.status() == c.invisible() && normalised(r, in).equals(normalised(u, unknown)));
        }
    }

    private static String normalised(Http.Response r, Resources ids) {
        String message = r.json().at("/error/message").asText();
        // Longest first: a robot's id holds its workflow's name.
        for (String id : List.of(ids.robotId(), ids.workflowName() + "-new", ids.workflowId(), ids.workflowName(), ids.jobId(),
                ids.scheduleId(), ids.webhookId(), ids.bindingId(), ids.folderId())) {
            message = message.replace(id, "<id>");
        }
        return r.json().at("/error/code").asText() + ": " + message;
    }

    private static void expect(List<String> wrong, String what, boolean ok) {
        if (!ok) {
            wrong.add(what.length() > 600 ? what.substring(0, 600) : what);
        }
    }

    /** Each listing holds the resources of A and B (where the caller reads) and none of C's, with or without a folder filter. */
    private static void checkListings(List<String> wrong, JobApiServer s, FolderFixture f, String who, String key, Grants grants,
            String a, String b, String c) {
        Map<String, Resources> in = new LinkedHashMap<>();
        for (String folder : List.of(a, b, c)) {
            in.put(folder, f.resourcesIn(folder));
        }
        Map<String, Function<Resources, String>> listings = Map.of(W, Resources::workflowId, "/api/v1/jobs", Resources::jobId,
                "/api/v1/schedules", Resources::scheduleId, "/api/v1/webhooks", Resources::webhookId);
        Map<String, Permission> reads = Map.of(W, Permission.WORKFLOW_READ, "/api/v1/jobs", Permission.JOB_READ,
                "/api/v1/schedules", Permission.SCHEDULE_READ, "/api/v1/webhooks", Permission.WEBHOOK_READ);
        for (Map.Entry<String, Function<Resources, String>> listing : listings.entrySet()) {
            Set<String> listed = ids(s.http.get(listing.getKey() + "?limit=500", FolderFixture.as(key)));
            for (Map.Entry<String, Resources> e : in.entrySet()) {
                boolean visible = grants.allows(reads.get(listing.getKey()), e.getKey());
                String id = listing.getValue().apply(e.getValue());
                expect(wrong, "GET " + listing.getKey() + " as " + who + ": " + id + " of " + e.getKey()
                        + (visible ? " missing" : " shown"), listed.contains(id) == visible);
                Http.Response filtered = s.http.get(listing.getKey() + "?limit=500&folder=" + e.getKey(), FolderFixture.as(key));
                expect(wrong, "GET " + listing.getKey() + "?folder=" + e.getKey() + " as " + who + ": " + filtered.status() + " "
                        + filtered.body(), visible ? filtered.status() == 200 && ids(filtered).contains(id)
                        && ids(filtered).stream().noneMatch(other -> in.values().stream().filter(r -> !r.folderId().equals(e.getKey()))
                                .map(listing.getValue()).anyMatch(other::equals))
                        : filtered.status() == 400 && filtered.json().at("/error/details/field").asText().equals("folder"));
            }
        }
        checkRobotsAndFolders(wrong, s, who, key, grants, in);
        Http.Response audit = s.http.get("/api/v1/audit?limit=500", FolderFixture.as(key));
        if (!grants.allowsSomewhere(Permission.AUDIT_READ)) {
            expect(wrong, "GET /api/v1/audit as " + who + ": " + audit.status(), audit.status() == 403);
            return;
        }
        Set<String> folders = new TreeSet<>();
        audit.json().path("items").forEach(e -> folders.add(e.at("/folder/id").asText("(none)")));
        expect(wrong, "GET /api/v1/audit as " + who + " shows events of " + folders, audit.status() == 200
                && folders.stream().allMatch(id -> grants.allows(Permission.AUDIT_READ, id)) && folders.contains(a));
    }

    /** The robot listing holds the robots of the folders where the caller reads robots; the folder listing, those it sees. */
    private static void checkRobotsAndFolders(List<String> wrong, JobApiServer s, String who, String key, Grants grants,
            Map<String, Resources> in) {
        Set<String> robots = new TreeSet<>();
        String cursor = "";
        do {
            // Every page: the listing is paged (50 a page by default), and this test has made more robots than that.
            Http.Response page = s.http.get(R + "?limit=100" + (cursor.isEmpty() ? "" : "&cursor=" + cursor), FolderFixture.as(key));
            robots.addAll(ids(page));
            cursor = page.status() == 200 ? page.json().path("next_cursor").asText("") : "";
        } while (!cursor.isEmpty());
        Set<String> shown = new TreeSet<>();
        s.http.get(F, FolderFixture.as(key)).json().path("items")
                .forEach(i -> shown.add(i.path("id").asText() + (i.path("visible").asBoolean() ? "" : " (above)")));
        for (Map.Entry<String, Resources> e : in.entrySet()) {
            boolean reads = grants.allows(Permission.ROBOT_READ, e.getKey());
            expect(wrong, "GET " + R + " as " + who + ": robot of " + e.getKey() + (reads ? " missing" : " shown"),
                    robots.contains(e.getValue().robotId()) == reads);
            boolean sees = grants.allows(Permission.FOLDER_READ, e.getKey());
            expect(wrong, "GET " + F + " as " + who + ": " + e.getKey() + (sees ? " missing" : " shown") + " in " + shown,
                    shown.contains(e.getKey()) == sees && !shown.contains(e.getKey() + " (above)"));
        }
    }

    private static Set<String> ids(Http.Response r) {
        if (r.status() != 200) {
            return Set.of("(" + r.status() + ")");
        }
        List<String> ids = new ArrayList<>();
        r.json().path("items").forEach(i -> ids.add(i.path("id").asText()));
        return ids.stream().collect(Collectors.toSet());
    }
}
