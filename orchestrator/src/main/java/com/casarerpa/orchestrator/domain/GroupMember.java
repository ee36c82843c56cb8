package com.casarerpa.orchestrator.domain;

/**
 * A member of a group as the group lists it.
 *
 * @param status {@code active} or {@code disabled}
 * @param source {@code local} (added by an administrator) or {@code oidc} (from the identity provider's groups claim)
 */
public record GroupMember(String userId, String username, String status, String source) {}
