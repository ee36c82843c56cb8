package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.cli.Version;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OpenApiCoverage;
import com.casarerpa.orchestrator.testing.OpenApiCoverage.Operation;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {
    /**
     * Documented operations whose routes live in other parts of the application (authentication,
     * API keys, audit, workflows, jobs) and are not registered in this test. The application-level test
     * runs {@link OpenApiCoverage#assertMatches(List)} with no exceptions at all.
     */
    // The routes of the other route groups: WholeApiDocumentedTest checks them on the fully wired server.
    private static Set<Operation> documentedButNotRegisteredHere(List<HttpApi.Endpoint> registered) {
        Set<Operation> here = registered.stream().map(e -> new Operation(e.method(), e.path())).collect(Collectors.toSet());
        return OpenApiCoverage.documentedAccess(OpenApiDocument.load().tree()).keySet().stream()
                .filter(op -> !here.contains(op))
                .collect(Collectors.toUnmodifiableSet());
    }

    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private Http start() {
        // The health handlers are never called here; only their registration matters.
        api = new HttpApi("127.0.0.1", 0, 1, Duration.ofSeconds(5),
                List.of(new HealthRoutes(null), new OpenApiRoutes(OpenApiDocument.load()))).start();
        return new Http(api.port());
    }

    @Test
    void the_document_is_valid_openapi_3_1() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(OpenApiDocument.load().json(), null, options);

        assertThat(result.getMessages()).as("validation messages").isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1.");
        assertThat(result.getOpenAPI().getInfo().getTitle()).isEqualTo("CasareRPA Orchestrator API");
        assertThat(result.getOpenAPI().getPaths()).containsKeys("/health", "/api/v1/workflows/{id}");
        assertThat(result.getOpenAPI().getComponents().getSecuritySchemes()).containsKeys("bearer", "apiKey");
    }

    @Test
    void the_document_is_served_as_json_with_the_running_version() {
        Http http = start();

        Http.Response r = http.get("/openapi.json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().at("/openapi").asText()).startsWith("3.1.");
        assertThat(r.json().at("/info/version").asText()).isEqualTo(Version.current());
        assertThat(r.json().at("/paths").size()).isGreaterThan(10);
    }

    @Test
    void every_operation_names_a_known_access_and_public_and_webhook_ones_need_no_credentials() {
        JsonNode document = OpenApiDocument.load().tree();
        Set<String> known = Stream.concat(Stream.of("public", "signed_in", "webhook", "metrics"),
                Stream.of(Permission.values()).map(Permission::wireName)).collect(Collectors.toSet());

        OpenApiCoverage.documentedAccess(document).forEach((op, access) -> {
            assertThat(access).as(op.toString()).isIn(known);
            JsonNode security = document.at("/paths/" + op.path().replace("/", "~1") + "/" + op.method().toLowerCase() + "/security");
            if (access.equals("public") || access.equals("webhook")) {
                assertThat(security.isArray() && security.isEmpty()).as(op + " has security: []").isTrue();
            } else {
                assertThat(security.isMissingNode()).as(op + " uses the document's security").isTrue();
            }
        });
    }

    @Test
    void every_route_registered_here_is_documented_with_its_access() {
        start();
        List<HttpApi.Endpoint> endpoints = api.endpoints();

        assertThat(endpoints).extracting(HttpApi.Endpoint::path).contains("/health", "/ready", "/openapi.json");
        OpenApiCoverage.assertMatches(endpoints, documentedButNotRegisteredHere(endpoints));
    }

    @Test
    void the_coverage_check_reports_every_mismatch_at_once() {
        JsonNode document = OpenApiDocument.load().tree();
        List<HttpApi.Endpoint> endpoints = List.of(
                new HttpApi.Endpoint("GET", "/health", Optional.of(Access.PUBLIC)),
                new HttpApi.Endpoint("GET", "/ready", Optional.empty()),
                new HttpApi.Endpoint("GET", "/openapi.json", Optional.of(Access.PUBLIC)),
                new HttpApi.Endpoint("GET", "/api/v1/undocumented", Optional.of(Access.to(Permission.API_KEY_MANAGE))),
                new HttpApi.Endpoint("POST", "/api/v1/auth/token", Optional.of(Access.PUBLIC)));
        Set<Operation> notYet = Set.of(Operation.of("POST /api/v1/auth/token"), Operation.of("GET /api/v1/nowhere"));

        List<String> mismatches = OpenApiCoverage.mismatches(document, endpoints, notYet);

        assertThat(mismatches).contains(
                "GET /ready declares access (none) but the document says public",
                "GET /openapi.json declares access public but the document says orchestrator.read",
                "GET /api/v1/undocumented is registered (access api_key.manage) but not in the OpenAPI document",
                "POST /api/v1/auth/token is registered: remove it from the list of documented but not yet registered operations",
                "GET /api/v1/workflows is in the OpenAPI document but no route is registered for it",
                "GET /api/v1/nowhere is listed as not yet registered but is not in the document either");
        assertThat(mismatches).noneMatch(m -> m.startsWith("GET /health "));
    }

    @Test
    void the_webhook_receiving_route_is_the_only_operation_with_webhook_access() {
        Map<Operation, String> access = OpenApiCoverage.documentedAccess(OpenApiDocument.load().tree());

        assertThat(access.entrySet().stream().filter(e -> e.getValue().equals("webhook")).map(e -> e.getKey().toString()))
                .containsExactly("POST /webhooks/{id}");
    }
}
