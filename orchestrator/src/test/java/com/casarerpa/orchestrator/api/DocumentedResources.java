package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OpenApiOperations.Operation;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real resource for every path parameter of the OpenAPI document, and the credentials each
 * operation needs, so a request built from the document reaches its route's body instead of
 * stopping at a 404 or a 401. A path parameter takes the resource the path segment before it
 * names ({@code /folders/{id}/bindings/{bindingId}}: a folder, then a binding of that folder); one
 * without a resource here fails the test, so a route family added later cannot go unfuzzed.
 *
 * <p>Made as the admin through the API: the workflows the document's examples name, a job, a
 * schedule, a webhook (key mode), a robot and a key bound to it (so a robot route finds its robot
 * without being told); the folders the examples name ({@code Default/Finance}, {@code Default/HR})
 * and one more under the root for the folder routes; a person, who signs in, with viewer at the
 * root and a personal token; the examples' group with the person as member and a binding of it in
 * that folder; a service account with a key; a custom role.
 */
final class DocumentedResources {
    static final String PERSON = "fuzz-person";
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    final Map<String, String> admin;
    final Map<String, String> robot;
    final Map<String, String> webhook;
    final Map<String, String> person;
    private final People people;
    private final Map<String, String> ids = new HashMap<>();

    DocumentedResources(Http http, String adminKey) {
        admin = Map.of("X-API-Key", adminKey);
        people = new People(http, adminKey);
        JsonNode robotKey = created(http.post("/api/v1/api-keys", "{\"name\":\"fuzz robot\",\"role\":\"robot\","
                + "\"robot_id\":\"robot-fuzz\"}", admin));
        robot = Map.of("X-API-Key", robotKey.path("key").asText());
        ids.put("api-keys", robotKey.path("id").asText());
        ids.put("robots", "robot-fuzz");
        assertThat(http.post("/api/v1/robots/register", "{\"robot_id\":\"robot-fuzz\"}", robot).status()).isEqualTo(200);
        ids.put("workflows", id(http.post("/api/v1/workflows", "{\"name\":\"Daily Report\",\"workflow_data\":"
                + Samples.chain("daily", "hello") + "}", admin)));
        created(http.post("/api/v1/workflows", "{\"name\":\"Process order\",\"workflow_data\":"
                + Samples.chain("order", "hello") + "}", admin));
        ids.put("jobs", id(http.post("/api/v1/jobs", "{\"workflow_name\":\"Daily Report\"}", admin)));
        ids.put("schedules", id(http.post("/api/v1/schedules", "{\"name\":\"fuzz\",\"workflow_name\":\"Daily Report\","
                + "\"cron\":\"0 9 * * *\"}", admin)));
        JsonNode hook = created(http.post("/api/v1/webhooks", "{\"name\":\"fuzz\",\"workflow_name\":\"Daily Report\","
                + "\"auth_mode\":\"key\"}", admin));
        ids.put("webhooks", hook.path("id").asText());
        webhook = Map.of("X-Casare-Webhook-Key", hook.path("secret").asText());
        ids.put("versions", "1");

        for (String named : new String[] {"Finance", "HR"}) {
            created(http.post("/api/v1/folders", "{\"name\":\"" + named + "\"}", admin));
        }
        String folder = id(http.post("/api/v1/folders", "{\"name\":\"Fuzz\"}", admin));
        ids.put("folders", folder);
        String user = people.create(PERSON);
        ids.put("users", user);
        ids.put("members", user);
        created(http.post("/api/v1/folders/" + Folder.ROOT_ID + "/bindings", principal("user", user, "viewer"), admin));
        String group = id(http.post("/api/v1/groups", "{\"name\":\"Finance operators\"}", admin));
        ids.put("groups", group);
        created(http.put("/api/v1/groups/" + group + "/members/" + user, "", admin));
        ids.put("bindings", id(http.post("/api/v1/folders/" + folder + "/bindings", principal("group", group, "viewer"), admin)));
        String account = id(http.post("/api/v1/service-accounts", "{\"name\":\"fuzz pipeline\"}", admin));
        ids.put("service-accounts", account);
        created(http.post("/api/v1/service-accounts/" + account + "/keys", "{\"name\":\"fuzz\"}", admin));
        ids.put("roles", created(http.post("/api/v1/roles", "{\"name\":\"fuzz_role\",\"permissions\":[\"job.read\"]}", admin))
                .path("name").asText());
        person = signedIn();
        ids.put("tokens", id(http.post("/api/v1/auth/tokens", "{\"name\":\"fuzz\",\"bindings\":[{\"role\":\"viewer\"}]}", person)));
        assertThat(ids.values()).doesNotContain("");
    }

    /**
     * What {@code op} must send to get past the gate: the robot's key, the webhook's key, nothing,
     * the person's access token for the routes of a signed-in caller (a new session for each
     * sign-out, which ends it), the admin key otherwise.
     */
    Map<String, String> headersFor(Operation op) {
        return switch (op.access()) {
            case "robot.connect" -> robot;
            case "webhook" -> webhook;
            case "public" -> Map.of();
            case "signed_in" -> op.path().equals("/api/v1/auth/logout") ? signedIn() : person;
            default -> admin;
        };
    }

    /** The operation's path with {@code fuzzed} set to {@code value} and every other parameter to a real id. */
    String path(Operation op, String fuzzed, String value) {
        Matcher m = PARAM.matcher(op.path());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String before = op.path().substring(0, m.start());
            String resource = before.substring(before.lastIndexOf('/', before.length() - 2) + 1, before.length() - 1);
            if (!name.equals(fuzzed) && !ids.containsKey(resource)) {
                throw new AssertionError("no real resource for {" + name + "} of " + op + ": make one (a " + resource
                        + ") in DocumentedResources, or the fuzz of its other inputs stops at a 404");
            }
            String replacement = name.equals(fuzzed) ? value : ids.get(resource);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Map<String, String> signedIn() {
        return People.bearer(people.signIn(PERSON).json().path("access_token").asText());
    }

    private static String principal(String kind, String id, String role) {
        return "{\"principal\":{\"kind\":\"" + kind + "\",\"id\":\"" + id + "\"},\"role\":\"" + role + "\"}";
    }

    private static String id(Http.Response r) {
        return created(r).path("id").asText();
    }

    private static JsonNode created(Http.Response r) {
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json();
    }
}
