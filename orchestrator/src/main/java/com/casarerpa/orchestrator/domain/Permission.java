package com.casarerpa.orchestrator.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One thing a caller may do, as {@code resource.action}; roles are made of them
 * ({@link RoleDefinition}) and every route needs exactly one. Folder-scoped permissions apply in
 * the folder of a binding and every folder below it; installation permissions
 * ({@link #folderScoped()} false) only count when granted at the root folder.
 */
public enum Permission {
    WORKFLOW_READ("workflow.read", true),
    WORKFLOW_DEPLOY("workflow.deploy", true),
    WORKFLOW_DELETE("workflow.delete", true),
    /** Import a whole export document (it may span folders). */
    WORKFLOW_IMPORT("workflow.import", false),
    /** Export workflows with their secret values (not masked). */
    WORKFLOW_EXPORT_SECRETS("workflow.export_secrets", true),
    JOB_READ("job.read", true),
    JOB_RUN("job.run", true),
    JOB_CANCEL("job.cancel", true),
    JOB_RETRY("job.retry", true),
    SCHEDULE_READ("schedule.read", true),
    SCHEDULE_CHANGE("schedule.change", true),
    WEBHOOK_READ("webhook.read", true),
    WEBHOOK_CHANGE("webhook.change", true),
    ROBOT_READ("robot.read", true),
    /** Maintenance mode on and off. */
    ROBOT_MAINTAIN("robot.maintain", true),
    /** Forget a robot, assign robots to folders. */
    ROBOT_MANAGE("robot.manage", false),
    /** Speak the robot protocol (register, claim, report). */
    ROBOT_CONNECT("robot.connect", true),
    FOLDER_READ("folder.read", true),
    /** Create and change folders below, bind and unbind roles in them. */
    FOLDER_MANAGE("folder.manage", true),
    AUDIT_READ("audit.read", true),
    /** Users, groups, service accounts, custom roles. */
    USER_MANAGE("user.manage", false),
    API_KEY_MANAGE("api_key.manage", false),
    /** The OpenAPI document and {@code /metrics}: facts about the installation, not a folder. */
    ORCHESTRATOR_READ("orchestrator.read", false);

    private static final Map<String, Permission> BY_WIRE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Permission::wireName, Function.identity()));

    private final String wireName;
    private final boolean folderScoped;

    Permission(String wireName, boolean folderScoped) {
        this.wireName = wireName;
        this.folderScoped = folderScoped;
    }

    /** {@code workflow.read}, as roles, bindings, the API and the docs name it. */
    public String wireName() {
        return wireName;
    }

    /** False for installation permissions, which a binding grants only at the root folder. */
    public boolean folderScoped() {
        return folderScoped;
    }

    public static Optional<Permission> fromWire(String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(value.strip().toLowerCase(Locale.ROOT)));
    }
}
