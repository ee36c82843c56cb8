package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Paths on the folder tree, what a caller sees, what it lacks, and what a binding outside the root gives. */
class FolderGrantsTest {
    private static final FolderTree TREE = new FolderTree(List.of(folder("root", "Default", null), folder("f", "Finance", "root"),
            folder("ap", "AP", "f"), folder("hr", "HR", "root"), folder("ff", "Finance", "f")));

    private static Folder folder(String id, String name, String parent) {
        return new Folder(id, name, Optional.ofNullable(parent), "", Instant.EPOCH, "test");
    }

    private static RoleDefinition role(String name) {
        return RoleDefinition.builtInRole(name).orElseThrow();
    }

    @Test
    void a_child_is_found_by_its_name_ignoring_case_and_paths_name_folders_from_the_root() {
        assertThat(TREE.childNamed("root", "finance")).map(Folder::id).contains("f");
        assertThat(TREE.childNamed("f", "FINANCE")).map(Folder::id).contains("ff");
        assertThat(TREE.childNamed("root", "AP")).as("not a child of the root").isEmpty();
        assertThat(TREE.children("root")).extracting(Folder::id).containsExactlyInAnyOrder("f", "hr");
        assertThat(TREE.byIdOrPath("Default/Finance/Finance")).map(Folder::id).contains("ff");
    }

    @Test
    void a_caller_sees_where_it_holds_a_folder_permission() {
        Grants finance = Grants.resolve(List.of(new Grants.Held(role("viewer").permissions(), "f")), TREE);
        assertThat(finance.sees("f")).isTrue();
        assertThat(finance.sees("ap")).isTrue();
        assertThat(finance.sees("hr")).isFalse();
        assertThat(finance.sees("root")).isFalse();
        Grants installationOnly = Grants.everywhere(EnumSet.of(Permission.USER_MANAGE));
        assertThat(installationOnly.sees("root")).as("people management is no view of a folder").isFalse();
        assertThat(Grants.everywhere(EnumSet.of(Permission.JOB_READ)).sees("hr")).isTrue();
    }

    @Test
    void what_is_missing_is_what_the_folder_does_not_grant() {
        Grants admin = Grants.resolve(List.of(new Grants.Held(role("folder_admin").permissions(), "f")), TREE);
        assertThat(admin.missing(role("operator").permissionsIn("ap"), "ap")).isEmpty();
        assertThat(admin.missing(role("operator").permissionsIn("root"), "root")).isNotEmpty();
        assertThat(admin.missing(Set.of(Permission.WORKFLOW_EXPORT_SECRETS, Permission.JOB_RUN), "f"))
                .containsExactly(Permission.WORKFLOW_EXPORT_SECRETS);
    }

    @Test
    void a_binding_outside_the_root_gives_the_folder_permissions_of_its_role_only() {
        assertThat(role("viewer").permissionsIn("root")).contains(Permission.ORCHESTRATOR_READ);
        assertThat(role("viewer").permissionsIn("f")).doesNotContain(Permission.ORCHESTRATOR_READ).contains(Permission.JOB_READ);
        assertThat(role("admin").permissionsIn("f")).doesNotContain(Permission.USER_MANAGE, Permission.API_KEY_MANAGE);
    }

    @Test
    void folder_names_have_no_slash_nor_control_characters() {
        assertThat(Folder.isValidName("Finance & Ops")).isTrue();
        assertThat(Folder.isValidName("a/b")).isFalse();
        assertThat(Folder.isValidName("")).isFalse();
        assertThat(Folder.isValidName("x".repeat(101))).isFalse();
        assertThat(Folder.isValidName("line\nbreak")).isFalse();
    }
}
