package com.casarerpa.protocol.ws;

import com.casarerpa.protocol.ws.Parts.LostLease;
import com.casarerpa.protocol.ws.Parts.RenewedLease;
import com.casarerpa.protocol.ws.Parts.ResumedLease;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A message from the server to a robot (docs/websocket-api.md, "Server → robot"). Optional
 * fields that are {@code null} are not written, except those the protocol writes as
 * {@code null} (marked {@link Include#ALWAYS}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(ServerMessage.Registered.class), @JsonSubTypes.Type(ServerMessage.JobAssign.class),
    @JsonSubTypes.Type(ServerMessage.JobCancel.class), @JsonSubTypes.Type(ServerMessage.Ack.class),
    @JsonSubTypes.Type(ServerMessage.Error.class), @JsonSubTypes.Type(ServerMessage.Drain.class)
})
public sealed interface ServerMessage {
    String id();

    @JsonTypeName("registered")
    @JsonInclude(Include.NON_NULL)
    record Registered(String id, @JsonInclude(Include.ALWAYS) String replyTo, String robotId, Integer protocolVersion,
            String connectionId, String serverVersion, String serverTime, Integer heartbeatIntervalSeconds,
            Integer heartbeatTimeoutSeconds, Integer visibilityTimeoutSeconds, Integer cancelGraceSeconds,
            Integer maxMessageBytes, List<ResumedLease> resumed, List<LostLease> lost) implements ServerMessage {}

    /** {@code workflow} is the pinned definition as a JSON object; {@code timeout_seconds} {@code null} means no limit. */
    @JsonTypeName("job_assign")
    @JsonInclude(Include.NON_NULL)
    record JobAssign(String id, String jobId, Integer attempt, String leaseToken, String leaseExpiresAt, String workflowId,
            String workflowName, Integer workflowVersion, JsonNode workflow, JsonNode variables,
            @JsonInclude(Include.ALWAYS) Integer timeoutSeconds, Integer priority, Integer maxRetries, String createdAt)
            implements ServerMessage {}

    @JsonTypeName("job_cancel")
    @JsonInclude(Include.NON_NULL)
    record JobCancel(String id, String jobId, String leaseToken, String reason, String message, Integer graceSeconds)
            implements ServerMessage {}

    /** The extra fields depend on the message acked (docs/websocket-api.md, "ack"); the others are {@code null}. */
    @JsonTypeName("ack")
    @JsonInclude(Include.NON_NULL)
    record Ack(String id, String replyTo, String serverTime, List<RenewedLease> leases, List<LostLease> lost,
            String jobState, Boolean duplicate, String retryAt, Integer accepted, Integer duplicates,
            String leaseExpiresAt) implements ServerMessage {

        /** An ack with no extra field (job_progress, goodbye). */
        public static Ack of(String replyTo) {
            return new Ack(null, replyTo, null, null, null, null, null, null, null, null, null);
        }

        /** The ack of a job report: the job's state now and whether the report was a duplicate ({@code null}: not said). */
        public static Ack jobState(String replyTo, String jobState, Boolean duplicate) {
            return new Ack(null, replyTo, null, null, null, jobState, duplicate, null, null, null, null);
        }

        /** The ack of a heartbeat: the server's time, the leases renewed and those that are not live. */
        public static Ack heartbeat(String replyTo, String serverTime, List<RenewedLease> leases, List<LostLease> lost) {
            return new Ack(null, replyTo, serverTime, leases, lost, null, null, null, null, null, null);
        }

        /** The ack of a {@code log_batch}: how many entries were stored, how many were known already. */
        public static Ack logs(String replyTo, int accepted, int duplicates) {
            return new Ack(null, replyTo, null, null, null, null, null, null, accepted, duplicates, null);
        }

        /** The ack of a {@code lease_extend}: the lease's new expiry. */
        public static Ack extended(String replyTo, String leaseExpiresAt) {
            return new Ack(null, replyTo, null, null, null, null, null, null, null, null, leaseExpiresAt);
        }

        /** The same ack with {@code retry_at} (a {@code job_failed} whose job waits for its retry). */
        public Ack withRetryAt(String at) {
            return new Ack(id, replyTo, serverTime, leases, lost, jobState, duplicate, at, accepted, duplicates, leaseExpiresAt);
        }
    }

    /** {@code reply_to} and {@code field} are written as {@code null} when absent. */
    @JsonTypeName("error")
    @JsonInclude(Include.NON_NULL)
    record Error(String id, @JsonInclude(Include.ALWAYS) String replyTo, String code, String message,
            @JsonInclude(Include.ALWAYS) String field, Boolean retryable, JsonNode details) implements ServerMessage {

        /** {@code details.retry_after_ms}, or {@code 0}. */
        public long retryAfterMs() {
            return details == null ? 0 : details.path("retry_after_ms").asLong(0);
        }
    }

    @JsonTypeName("drain")
    @JsonInclude(Include.NON_NULL)
    record Drain(String id, String reason, Integer reconnectDelayMs) implements ServerMessage {}
}
