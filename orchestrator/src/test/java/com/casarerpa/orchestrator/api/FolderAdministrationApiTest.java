package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.service.PersonalTokens;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.AccessFixture;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders, bindings, groups, service accounts, roles and personal tokens over real HTTP on a
 * whole server (PostgreSQL): who sees what (404) and who may change it (403), as keys of
 * service accounts bound in folders, and the personal tokens of a person who signs in.
 */
class FolderAdministrationApiTest {
    @TempDir
    Path work;

    private RunningOrchestrator server;
    private Http http;
    private Map<String, String> admin;
    private Database database;
    private AccessFixture fixture;

    @BeforeEach
    void start() {
        server = RunningOrchestrator.postgres(work, People.FAST_SIGN_IN);
        http = server.http();
        admin = Map.of("X-API-Key", server.adminKey(work));
        database = Database.open(DatabaseUrl.parse(server.env().get("DATABASE_URL")), PoolSettings.forCommand());
        fixture = new AccessFixture(database, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        database.close();
        server.close();
    }

    private JsonNode ok(int status, Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : r.json();
    }

    private String folder(String name, String parent) {
        String body = "{\"name\":\"" + name + "\"" + (parent == null ? "" : ",\"parent\":\"" + parent + "\"") + "}";
        Http.Response r = http.post("/api/v1/folders", body, admin);
        JsonNode f = ok(201, r);
        assertThat(r.header("Location")).isEqualTo("/api/v1/folders/" + f.get("id").asText());
        return f.get("id").asText();
    }

    /** A key of a new service account bound to {@code role} in {@code folder}. */
    private Map<String, String> accountKey(String name, String role, String folder) {
        String sa = ok(201, http.post("/api/v1/service-accounts", "{\"name\":\"" + name + "\"}", admin)).get("id").asText();
        JsonNode key = ok(201, http.post("/api/v1/service-accounts/" + sa + "/keys", "{\"name\":\"" + name + " key\"}", admin));
        assertThat(key.get("role").asText()).isEqualTo("bindings");
        bind(folder, "service_account", name, role, 201);
        return Map.of("Authorization", "Bearer " + key.get("key").asText());
    }

    private Http.Response bind(String folder, String kind, String name, String role, int status) {
        Http.Response r = http.post("/api/v1/folders/" + folder + "/bindings", "{\"principal\":{\"kind\":\"" + kind + "\",\"name\":\""
                + name + "\"},\"role\":\"" + role + "\"}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r;
    }

    private static List<String> texts(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.at(field).asText()));
        return out;
    }

    @Test
    void a_folder_is_404_where_the_caller_sees_nothing_and_403_where_it_sees_but_may_not_change() {
        String finance = folder("Finance", null);
        String ap = folder("AP", "Default/Finance");
        String hr = folder("HR", "root");
        assertThat(texts(ok(200, http.get("/api/v1/folders", admin)).get("items"), "/path"))
                .containsExactly("Default", "Default/Finance", "Default/Finance/AP", "Default/HR");

        Map<String, String> viewer = accountKey("finance-viewer", "viewer", finance);
        JsonNode seen = ok(200, http.get("/api/v1/folders", viewer)).get("items");
        assertThat(texts(seen, "/path")).containsExactly("Default", "Default/Finance", "Default/Finance/AP");
        assertThat(seen.get(0).get("visible").asBoolean()).isFalse();
        assertThat(ok(200, http.get("/api/v1/folders/" + ap, viewer)).get("path").asText()).isEqualTo("Default/Finance/AP");
        assertThat(http.get("/api/v1/folders/" + hr, viewer).status()).isEqualTo(404);
        assertThat(http.patch("/api/v1/folders/" + ap, "{\"description\":\"x\"}", viewer).json().at("/error/details/required_permission")
                .asText()).as("a viewer manages no folder: the route's gate").isEqualTo("folder.manage");

        Map<String, String> financeAdmin = accountKey("finance-admin", "folder_admin", finance);
        assertThat(http.patch("/api/v1/folders/" + hr, "{\"description\":\"x\"}", financeAdmin).status()).isEqualTo(404);
        Http.Response rename = http.patch("/api/v1/folders/" + finance, "{\"name\":\"Money\"}", financeAdmin);
        assertThat(rename.status()).as("it sees Finance, but renaming it is the root's business").isEqualTo(403);
        assertThat(rename.json().at("/error/code").asText()).isEqualTo("forbidden");
        ok(201, http.post("/api/v1/folders", "{\"name\":\"Team\",\"parent\":\"Default/Finance\"}", financeAdmin));
        assertThat(ok(200, http.patch("/api/v1/folders/" + ap, "{\"parent\":\"Default/Finance/Team\"}", financeAdmin))
                .get("path").asText()).isEqualTo("Default/Finance/Team/AP");

        JsonNode bindings = ok(200, http.get("/api/v1/folders/" + ap + "/bindings", financeAdmin)).get("items");
        assertThat(texts(bindings, "/principal/name")).as("from the root down").containsExactly("admin", "finance-viewer", "finance-admin");
        assertThat(texts(bindings, "/folder_path")).containsExactly("Default", "Default/Finance", "Default/Finance");
        assertThat(bindings.get(1).get("inherited").asBoolean()).isTrue();
    }

    @Test
    void bindings_are_granted_without_escalation_and_the_last_admin_stays() {
        String finance = folder("Finance", null);
        Map<String, String> financeAdmin = accountKey("finance-admin", "folder_admin", finance);
        http.post("/api/v1/service-accounts", "{\"name\":\"ci\"}", admin);

        Http.Response adminInFolder = http.post("/api/v1/folders/" + finance + "/bindings",
                "{\"principal\":{\"kind\":\"service_account\",\"name\":\"ci\"},\"role\":\"admin\"}", financeAdmin);
        assertThat(adminInFolder.status()).isEqualTo(400);
        assertThat(adminInFolder.json().at("/error/details/field").asText()).isEqualTo("role");
        assertThat(http.post("/api/v1/folders/root/bindings", "{\"principal\":{\"kind\":\"service_account\",\"name\":\"ci\"},"
                + "\"role\":\"viewer\"}", financeAdmin).status()).as("the root is not its folder").isEqualTo(404);
        Http.Response operator = http.post("/api/v1/folders/" + finance + "/bindings",
                "{\"principal\":{\"kind\":\"service_account\",\"name\":\"ci\"},\"role\":\"operator\"}", financeAdmin);
        assertThat(operator.status()).as(operator.body()).isEqualTo(201);
        assertThat(http.post("/api/v1/folders/" + finance + "/bindings", "{\"principal\":{\"kind\":\"robot\",\"id\":\"x\"},"
                + "\"role\":\"viewer\"}", financeAdmin).json().at("/error/details/field").asText()).isEqualTo("principal.kind");
        assertThat(http.delete("/api/v1/folders/" + finance + "/bindings/" + operator.json().get("id").asText(), financeAdmin)
                .status()).isEqualTo(204);

        JsonNode root = ok(200, http.get("/api/v1/folders/root/bindings", admin)).get("items");
        assertThat(texts(root, "/role")).containsExactly("admin");
        Http.Response last = http.delete("/api/v1/folders/root/bindings/" + root.get(0).get("id").asText(), admin);
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.json().at("/error/code").asText()).isEqualTo("last_admin");
        assertThat(http.get("/api/v1/folders", admin).status()).as("still an admin").isEqualTo(200);
    }

    @Test
    void groups_service_accounts_roles_and_folder_deletion() {
        String finance = folder("Finance", null);
        String ann = fixture.user("ann");
        JsonNode group = ok(201, http.post("/api/v1/groups", "{\"name\":\"Finance ops\",\"external_name\":\"finance-ops\"}", admin));
        String groupId = group.get("id").asText();
        JsonNode member = ok(200, http.put("/api/v1/groups/" + groupId + "/members/ann", "", admin));
        assertThat(texts(member.get("members"), "/user_id")).containsExactly(ann);
        assertThat(member.get("member_count").asInt()).isEqualTo(1);
        bind(finance, "group", "Finance ops", "operator", 201);
        assertThat(fixture.person(ann).may(com.casarerpa.orchestrator.domain.Permission.JOB_RUN, finance)).isTrue();

        Http.Response unknown = http.post("/api/v1/roles", "{\"name\":\"runner\",\"permissions\":[\"job.read\",\"job.fly\"]}", admin);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/details/field").asText()).isEqualTo("permissions[1]");
        ok(201, http.post("/api/v1/roles", "{\"name\":\"runner\",\"permissions\":[\"job.read\",\"job.run\"]}", admin));
        assertThat(texts(ok(200, http.get("/api/v1/roles", admin)).get("items"), "/name")).contains("viewer", "runner");
        bind(finance, "group", "Finance ops", "runner", 201);
        assertThat(http.delete("/api/v1/roles/runner", admin).status()).as("bound").isEqualTo(409);
        assertThat(http.patch("/api/v1/roles/viewer", "{\"description\":\"mine\"}", admin).status()).isEqualTo(409);

        Http.Response full = http.delete("/api/v1/folders/" + finance, admin);
        assertThat(full.status()).isEqualTo(409);
        assertThat(full.json().at("/error/details/bindings").asInt()).isEqualTo(2);
        ok(204, http.delete("/api/v1/groups/" + groupId, admin));
        ok(204, http.delete("/api/v1/roles/runner", admin));
        ok(204, http.delete("/api/v1/folders/" + finance, admin));
        assertThat(http.get("/api/v1/folders/" + finance, admin).status()).isEqualTo(404);

        Map<String, String> ci = accountKey("ci", "viewer", "root");
        assertThat(http.get("/api/v1/folders", ci).status()).isEqualTo(200);
        String sa = ok(200, http.get("/api/v1/service-accounts", admin)).get("items").get(1).get("id").asText();
        JsonNode disabled = ok(200, http.delete("/api/v1/service-accounts/" + sa, admin));
        assertThat(disabled.get("status").asText()).isEqualTo("disabled");
        assertThat(disabled.get("keys").get(0).get("status").asText()).isEqualTo("revoked");
        assertThat(http.get("/api/v1/folders", ci).status()).isEqualTo(401);

        Http.Response legacy = http.post("/api/v1/api-keys", "{\"name\":\"x\",\"role\":\"bindings\"}", admin);
        assertThat(legacy.status()).isEqualTo(400);
        assertThat(legacy.json().at("/error/message").asText()).isEqualTo("role: expected one of admin, operator, viewer, robot,"
                + " got \"bindings\"");
    }

    @Test
    void a_personal_token_acts_within_its_owner_and_only_people_make_them() {
        String finance = folder("Finance", null);
        folder("HR", null);
        String ann = fixture.user("ann");
        fixture.bind(Principal.USER, ann, "operator", finance);
        PersonalTokens.Issued issued = fixture.access.personalTokens().create("script", Optional.empty(),
                List.of(new PersonalTokens.Requested("viewer", "Default/Finance")), fixture.person(ann));
        Map<String, String> token = Map.of("Authorization", "Bearer " + issued.plaintext());

        assertThat(texts(ok(200, http.get("/api/v1/folders", token)).get("items"), "/path")).containsExactly("Default", "Default/Finance");
        assertThat(ok(200, http.get("/api/v1/auth/tokens", token)).get("items").size()).as("a token is no person").isZero();
        Http.Response fromKey = http.post("/api/v1/auth/tokens", "{\"name\":\"x\",\"bindings\":[{\"role\":\"viewer\"}]}", admin);
        assertThat(fromKey.status()).isEqualTo(403);
        assertThat(http.post("/api/v1/auth/tokens", "{\"name\":\"x\",\"bindings\":[{\"role\":\"viewer\",\"place\":\"root\"}]}", admin)
                .json().at("/error/details/field").asText()).isEqualTo("bindings[0].place");

        fixture.setUserStatus(ann, "disabled");
        assertThat(http.get("/api/v1/folders", token).status()).isEqualTo(401);
    }

    @Test
    void a_signed_in_person_makes_a_token_that_shrinks_with_its_roles() {
        String finance = folder("Finance", null);
        People people = new People(http, admin.get("X-API-Key"));
        people.create("ann");
        Http.Response operator = bind(finance, "user", "ann", "operator", 201);
        Map<String, String> ann = People.bearer(people.signIn("ann").json().get("access_token").asText());

        String body = "{\"name\":\"nightly\",\"expires_in_days\":10,\"bindings\":[{\"role\":\"%s\",\"folder\":\"%s\"}]}";
        assertThat(http.post("/api/v1/auth/tokens", body.formatted("developer", "Default/Finance"), ann).json()
                .at("/error/details/field").asText()).as("ann does not deploy").isEqualTo("bindings[0].role");
        assertThat(http.post("/api/v1/auth/tokens", body.formatted("viewer", "Default"), ann).json()
                .at("/error/details/field").asText()).as("ann does not see the root").isEqualTo("bindings[0].folder");
        assertThat(http.post("/api/v1/auth/tokens", body.formatted("viewer", "Default/Finance").replace("10", "91"), ann).json()
                .at("/error/details/field").asText()).isEqualTo("expires_in_days");

        Http.Response created = http.post("/api/v1/auth/tokens", body.formatted("viewer", "Default/Finance"), ann);
        JsonNode made = ok(201, created);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        assertThat(made.at("/bindings/0/folder_path").asText()).isEqualTo("Default/Finance");
        Map<String, String> token = People.bearer(made.get("key").asText());
        assertThat(texts(ok(200, http.get("/api/v1/auth/tokens", ann)).get("items"), "/id")).containsExactly(made.get("id").asText());
        assertThat(texts(ok(200, http.get("/api/v1/folders", token)).get("items"), "/path")).containsExactly("Default", "Default/Finance");
        assertThat(http.get("/api/v1/folders/" + finance + "/bindings", token).status()).as("viewer only").isEqualTo(403);

        ok(204, http.delete("/api/v1/folders/" + finance + "/bindings/" + operator.json().get("id").asText(), admin));
        assertThat(http.get("/api/v1/folders", token).status()).as("ann holds nothing now, nor does her token").isEqualTo(403);
        JsonNode revoked = ok(200, http.delete("/api/v1/auth/tokens/" + made.get("id").asText(), ann));
        assertThat(revoked.get("status").asText()).isEqualTo("revoked");
        assertThat(http.get("/api/v1/folders", token).status()).isEqualTo(401);
    }
}
