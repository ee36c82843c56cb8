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
 * all) sends every request of the workflow, job, schedule, webhook and audit routes at resources
 * of each folder. What it should get follows from the OpenAPI document's {@code x-casare-access}
 * and the roles' permissions in that folder: through where it holds the permission; 403 naming
 * the permission and the folder where it reads but may not; 404 where it cannot read, with the
 * very message an unknown id gets; 403 on every folder when it holds the permission nowhere.
 * Listings show A's and B's resources, never C's. Every such route of the document must have a
 * case here, so a route added later fails this test until it is covered.
 */
class RoleFolderMatrixTest {
    private static final String W = "/api/v1/workflows";

    @TempDir
    Path workDir;

    /** How to reach one route for the resources of one folder, and which permission makes them visible. */
    private record Case(Permission read, Function<Resources, String> path, Function<Resources, String> body, int invisible) {
        static Case of(Permission read, Function<Resources, String> path) {
            return new Case(read, path, r -> "{}", 404);
        }

        Case withBody(Function<Resources, String> b) {
            return new Case(read, path, b, invisible);
        }

        Case whenInvisible(int status) {
            return new Case(read, path, body, status);
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
        return c;
    }

    /** Routes checked apart: listings (below), and routes of no folder's resource (the gate alone decides). */
    private static final Set<String> LISTINGS = Set.of("GET " + W, "GET /api/v1/jobs", "GET /api/v1/schedules",
            "GET /api/v1/webhooks", "GET /api/v1/audit");
    private static final Set<String> NO_FOLDER = Set.of("POST " + W + "/import", "GET /api/v1/schedules/preview",
            "POST /api/v1/jobs/retry");

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
            for (OpenApiOperations.Operation op : OpenApiOperations.of(s.get("/openapi.json").json())) {
                String resource = op.access().split("\\.")[0];
                if (op.access().contains(".") && Set.of("workflow", "job", "schedule", "webhook", "audit").contains(resource)) {
                    documented.put(op.method() + " " + op.path(), op.access());
                }
            }
            Map<String, Case> cases = cases();
            Set<String> uncovered = new TreeSet<>(documented.keySet());
            uncovered.removeAll(cases.keySet());
            uncovered.removeAll(LISTINGS);
            uncovered.removeAll(NO_FOLDER);
            assertThat(uncovered).as("resource routes of the document without a case in this test").isEmpty();

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
                for (String route : NO_FOLDER) {
                    Permission needed = Permission.fromWire(documented.get(route)).orElseThrow();
                    String method = route.split(" ")[0];
                    String path = route.split(" ")[1] + (route.endsWith("preview") ? "?cron=0+9+*+*+*" : "");
                    Http.Response r = s.http.send(method, path, "{}", FolderFixture.as(key));
                    boolean through = r.status() != 401 && r.status() != 403;
                    if (through != grants.allowsSomewhere(needed)) {
                        wrong.add(route + " as " + caller.getKey() + ": " + r.status() + " " + r.body());
                    }
                }
                checkListings(wrong, s, f, caller.getKey(), key, grants, a, b, c);
            }
            assertThat(wrong).as("answers that do not follow the caller's roles in the resource's folder").isEmpty();
        }
    }

    private static void check(List<String> wrong, Http http, String who, String key, String route, Case c, Permission needed,
            Grants grants, Resources in) {
        String method = route.split(" ")[0];
        Http.Response r = http.send(method, c.path().apply(in), c.body().apply(in), FolderFixture.as(key));
        String what = route + " in " + in.folderId() + " as " + who + ": " + r.status() + " " + r.body();
        if (!grants.allowsSomewhere(needed)) {
            expect(wrong, what, r.status() == 403 && r.json().at("/error/details/required_permission").asText()
                    .equals(needed.wireName()));
        } else if (grants.allows(needed, in.folderId())) {
            expect(wrong, what, r.status() != 401 && r.status() != 403 && r.status() != 404 && r.status() < 500);
        } else if (grants.allows(c.read(), in.folderId())) {
            JsonNode details = r.json().at("/error/details");
            expect(wrong, what, r.status() == 403 && details.path("required_permission").asText().equals(needed.wireName())
                    && details.path("folder_id").asText().equals(in.folderId()));
        } else {
            // Invisible: the answer an unknown resource gets, message and all (ids aside).
            Resources unknown = FolderFixture.unknown(in.folderId());
            Http.Response u = http.send(method, c.path().apply(unknown), c.body().apply(unknown), FolderFixture.as(key));
            expect(wrong, what + " (unknown: " + u.status() + " " + u.body() + ")", r.status() == c.invisible()
                    && u.status() == c.invisible() && normalised(r, in).equals(normalised(u, unknown)));
        }
    }

    private static String normalised(Http.Response r, Resources ids) {
        String message = r.json().at("/error/message").asText();
        for (String id : List.of(ids.workflowName() + "-new", ids.workflowId(), ids.workflowName(), ids.jobId(), ids.scheduleId(),
                ids.webhookId(), ids.folderId())) {
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

    private static Set<String> ids(Http.Response r) {
        if (r.status() != 200) {
            return Set.of("(" + r.status() + ")");
        }
        List<String> ids = new ArrayList<>();
        r.json().path("items").forEach(i -> ids.add(i.path("id").asText()));
        return ids.stream().collect(Collectors.toSet());
    }
}
