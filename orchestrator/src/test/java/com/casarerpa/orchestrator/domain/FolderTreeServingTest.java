package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which folders a robot serves: those it is assigned to and every folder below them; the root's robot, all. */
class FolderTreeServingTest {
    private static final FolderTree TREE = new FolderTree(List.of(folder("root", "Default", null), folder("fin", "Finance", "root"),
            folder("inv", "Invoices", "fin"), folder("hr", "HR", "root")));

    private static Folder folder(String id, String name, String parent) {
        return new Folder(id, name, Optional.ofNullable(parent), "", Instant.EPOCH, "test");
    }

    @Test
    void a_robot_assigned_to_a_folder_serves_it_and_the_folders_below_never_its_siblings_or_parents() {
        assertThat(TREE.servedBy(List.of("fin"))).contains(Set.of("fin", "inv"));
        assertThat(TREE.serves(List.of("fin"), "inv")).isTrue();
        assertThat(TREE.serves(List.of("fin"), "hr")).isFalse();
        assertThat(TREE.serves(List.of("inv"), "fin")).as("a job of a parent folder").isFalse();
        assertThat(TREE.serves(List.of("inv"), "root")).isFalse();
    }

    @Test
    void a_robot_assigned_to_none_or_to_the_root_serves_every_folder() {
        assertThat(TREE.servedBy(List.of())).isEmpty();
        assertThat(TREE.servedBy(List.of("hr", "root"))).isEmpty();
        assertThat(TREE.serves(List.of(), "inv")).isTrue();
        assertThat(TREE.serves(List.of("root"), "inv")).isTrue();
    }

    @Test
    void a_folder_is_named_by_id_or_by_path_from_the_root() {
        assertThat(TREE.byIdOrPath("inv").map(Folder::id)).contains("inv");
        assertThat(TREE.byIdOrPath("Default/Finance/Invoices").map(Folder::id)).contains("inv");
        assertThat(TREE.byIdOrPath("Default").map(Folder::id)).contains("root");
        assertThat(TREE.byIdOrPath("Finance")).as("a path starts at the root").isEmpty();
        assertThat(TREE.byIdOrPath("Default/finance")).isEmpty();
    }
}
