package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.protocol.rest.AccessBodies;
import com.casarerpa.orchestrator.service.AuditLog;
import com.casarerpa.protocol.rest.ApiKeyBodies;
import com.casarerpa.protocol.rest.JobInsightBodies;
import com.casarerpa.protocol.rest.AuthBodies;
import com.casarerpa.protocol.rest.UserBodies;
import com.casarerpa.protocol.rest.FeedBodies;
import com.casarerpa.protocol.rest.FolderRef;
import com.casarerpa.protocol.rest.JobBodies;
import com.casarerpa.protocol.rest.OverviewBodies;
import com.casarerpa.protocol.rest.RobotBodies;
import com.casarerpa.protocol.rest.TriggerBodies;
import com.casarerpa.protocol.rest.WorkflowBodies;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records of the REST bodies ({@code com.casarerpa.protocol.rest}) have exactly the fields the
 * OpenAPI document gives their schema: none more, none less, by their snake_case names.
 */
class RestBodiesDocumentedTest {
    private static final JsonNode DOC = OpenApiDocument.load().tree();
    private static final PropertyNamingStrategies.NamingBase SNAKE = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** Each record and where the document describes it (a schema name, or a JSON pointer for an inline schema). */
    static Map<Class<?>, String> bodies() {
        return Map.ofEntries(
                Map.entry(JobBodies.Job.class, "Job"),
                Map.entry(JobBodies.JobDetail.class, "JobDetail"),
                Map.entry(JobBodies.SubmittedJob.class, "SubmittedJob"),
                Map.entry(JobBodies.JobError.class, "JobError"),
                Map.entry(JobBodies.JobAttempt.class, "JobAttempt"),
                Map.entry(JobBodies.JobLogEntry.class, "JobLogEntry"),
                Map.entry(FeedBodies.Change.class, "FeedChange"),
                Map.entry(FeedBodies.Log.class, "FeedLog"),
                Map.entry(FeedBodies.Overflow.class, "FeedOverflow"),
                Map.entry(FeedBodies.Reset.class, "FeedReset"),
                Map.entry(FeedBodies.End.class, "FeedEnd"),
                Map.entry(JobBodies.ClaimedJob.class, "ClaimedJob"),
                Map.entry(JobBodies.LeaseExtended.class, "LeaseExtended"),
                Map.entry(JobBodies.CompletionRecorded.class, "CompletionRecorded"),
                Map.entry(JobBodies.FailureRecorded.class, "FailureRecorded"),
                Map.entry(JobBodies.JobReleased.class, "JobReleased"),
                Map.entry(JobInsightBodies.FailureGroup.class, "FailureGroup"),
                Map.entry(JobInsightBodies.WorkflowRef.class, "/components/schemas/FailureGroup/properties/workflows/items"),
                Map.entry(JobInsightBodies.StuckJob.class, "StuckJob"),
                Map.entry(JobInsightBodies.BulkDryRun.class, "BulkDryRun"),
                Map.entry(JobInsightBodies.JobBatch.class, "JobBatch"),
                Map.entry(RobotBodies.Robot.class, "Robot"),
                Map.entry(RobotBodies.RobotMetrics.class, "RobotMetrics"),
                Map.entry(RobotBodies.FolderRef.class, "FolderRef"),
                Map.entry(RobotBodies.RobotFolders.class, "RobotFolders"),
                Map.entry(RobotBodies.HeldJob.class, "RobotHeldJob"),
                Map.entry(RobotBodies.Sample.class, "RobotSample"),
                Map.entry(OverviewBodies.Overview.class, "Overview"),
                Map.entry(OverviewBodies.RobotCounts.class, "/components/schemas/Overview/properties/robots"),
                Map.entry(OverviewBodies.Queue.class, "/components/schemas/Overview/properties/queue"),
                Map.entry(OverviewBodies.Minute.class, "/components/schemas/Overview/properties/jobs_per_minute/items"),
                Map.entry(OverviewBodies.Latency.class, "/components/schemas/Overview/properties/dispatch_latency"),
                Map.entry(OverviewBodies.Failure.class, "/components/schemas/Overview/properties/recent_failures/items"),
                Map.entry(OverviewBodies.NextFire.class, "/components/schemas/Overview/properties/next_fires/items"),
                Map.entry(OverviewBodies.Instance.class, "Instance"),
                Map.entry(RobotBodies.HeartbeatAck.class,
                        "/paths/~1api~1v1~1robots~1{id}~1heartbeat/post/responses/200/content/application~1json/schema"),
                Map.entry(WorkflowBodies.Workflow.class, "Workflow"),
                Map.entry(WorkflowBodies.WorkflowDetail.class, "WorkflowDetail"),
                Map.entry(WorkflowBodies.Deployment.class, "Deployment"),
                Map.entry(WorkflowBodies.Health.class, "WorkflowHealth"),
                Map.entry(WorkflowBodies.JobCounts.class, "JobCounts"),
                Map.entry(WorkflowBodies.ListedWorkflow.class, "ListedWorkflow"),
                Map.entry(WorkflowBodies.ShownWorkflow.class, "ShownWorkflow"),
                Map.entry(WorkflowBodies.WorkflowVersion.class, "WorkflowVersion"),
                Map.entry(TriggerBodies.Schedule.class, "Schedule"),
                Map.entry(TriggerBodies.Fire.class, "Fire"),
                Map.entry(TriggerBodies.Fired.class, "ManualFire"),
                Map.entry(TriggerBodies.Webhook.class, "Webhook"),
                Map.entry(ApiKeyBodies.ApiKey.class, "ApiKey"),
                Map.entry(ApiKeyBodies.CreatedApiKey.class, "CreatedApiKey"),
                Map.entry(UserBodies.User.class, "User"),
                Map.entry(UserBodies.CreatedUser.class, "CreatedUser"),
                Map.entry(UserBodies.SetPasswordToken.class, "SetPasswordToken"),
                Map.entry(AuthBodies.TokenPair.class, "TokenPair"),
                Map.entry(AuthBodies.SignedIn.class, "SignedIn"),
                Map.entry(AuthBodies.DashboardSignedIn.class, "DashboardSignedIn"),
                Map.entry(AuthBodies.Me.class, "Me"),
                Map.entry(AuthBodies.Group.class, "/components/schemas/Me/properties/groups/items"),
                Map.entry(AuthBodies.FolderPermissions.class, "/components/schemas/Me/properties/folders/items"),
                Map.entry(FolderRef.class, "FolderRef"),
                Map.entry(AuditLog.Entry.class, "AuditEvent"),
                Map.entry(OidcRoutes.SsoStatus.class, "SingleSignOn"),
                Map.entry(UserIdentityRoutes.IdentityBody.class, "UserIdentity"),
                Map.entry(AccessBodies.Folder.class, "Folder"),
                Map.entry(AccessBodies.Principal.class, "BindingPrincipal"),
                Map.entry(AccessBodies.Binding.class, "Binding"),
                Map.entry(AccessBodies.Group.class, "Group"),
                Map.entry(AccessBodies.GroupMember.class, "GroupMember"),
                Map.entry(AccessBodies.GroupDetail.class, "GroupDetail"),
                Map.entry(AccessBodies.ServiceAccount.class, "ServiceAccount"),
                Map.entry(AccessBodies.ServiceAccountDetail.class, "ServiceAccountDetail"),
                Map.entry(AccessBodies.RoleDefinition.class, "RoleDefinition"),
                Map.entry(AccessBodies.TokenBinding.class, "TokenBinding"),
                Map.entry(AccessBodies.PersonalToken.class, "PersonalToken"),
                Map.entry(AccessBodies.CreatedPersonalToken.class, "CreatedPersonalToken"));
    }

    static Set<Class<?>> records() {
        return bodies().keySet();
    }

    @ParameterizedTest
    @MethodSource("records")
    void the_record_has_the_fields_of_its_schema(Class<?> body) {
        String where = bodies().get(body);
        JsonNode schema = where.startsWith("/") ? DOC.at(where) : DOC.at("/components/schemas/" + where);
        assertThat(schema.isMissingNode()).as("%s in the OpenAPI document", where).isFalse();
        assertThat(fields(body)).as("the fields of %s against %s", body.getSimpleName(), where).isEqualTo(properties(schema));
    }

    /** The JSON names of a record's fields, those of an unwrapped component in its place. */
    private static Set<String> fields(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getAccessor().isAnnotationPresent(JsonUnwrapped.class)) { // the annotation goes to the accessor, not the component
                names.addAll(fields(c.getType()));
            } else {
                names.add(SNAKE.translate(c.getName()));
            }
        }
        return names;
    }

    /** The property names of a schema, following {@code $ref} and {@code allOf}. */
    private static Set<String> properties(JsonNode schema) {
        Set<String> names = new TreeSet<>();
        if (schema.has("$ref")) {
            names.addAll(properties(DOC.at(schema.get("$ref").asText().substring(1))));
        }
        schema.path("allOf").forEach(part -> names.addAll(properties(part)));
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
