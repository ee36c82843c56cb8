package com.casarerpa.orchestrator.service;

import static com.casarerpa.orchestrator.testing.AccessFixture.CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.testing.AccessFixture;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** The folder tree's rules, and who sees and changes which folder, on PostgreSQL and H2. */
class FoldersTest {
    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        AccessFixture f;
        Folders folders;

        @BeforeEach
        void open() {
            db = database.migrated(dir);
            f = new AccessFixture(db.database(), Clock.systemUTC());
            folders = f.access.folders();
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void folders_are_made_below_a_parent_named_by_id_or_path_and_listed_by_path() {
            String finance = folders.create("Finance", Optional.empty(), "Money", CLI).folder().id();
            Folders.Shown ap = folders.create("AP", Optional.of("Default/Finance"), "", CLI);
            Folders.Shown ar = folders.create("AR", Optional.of(finance), "", CLI);
            folders.create("Invoices", Optional.of("/Default/Finance/AP/"), "", CLI);

            assertThat(ap.path()).isEqualTo("Default/Finance/AP");
            assertThat(ap.folder().parentId()).contains(finance);
            assertThat(ar.path()).isEqualTo("Default/Finance/AR");
            assertThat(folders.list(CLI)).extracting(Folders.Shown::path)
                    .containsExactly("Default", "Default/Finance", "Default/Finance/AP", "Default/Finance/AP/Invoices", "Default/Finance/AR");
            assertThat(folders.get("Default/Finance/AP/Invoices", CLI).folder().name()).isEqualTo("Invoices");
            assertThat(f.count("SELECT COUNT(*) FROM audit_events WHERE action = 'folder.create'")).isEqualTo(4);
        }

        @Test
        void a_bad_name_is_refused_and_a_sibling_name_is_taken_ignoring_case() {
            folders.create("Finance", Optional.empty(), "", CLI);
            for (String bad : new String[] {"", "   ", "a/b", "x".repeat(101), "tab\there"}) {
                assertThatThrownBy(() -> folders.create(bad, Optional.empty(), "", CLI)).isInstanceOf(InvalidInputException.class)
                        .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("name");
            }
            assertThatThrownBy(() -> folders.create("FINANCE", Optional.empty(), "", CLI)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("already has a folder named Finance");
            assertThatThrownBy(() -> folders.create("AP", Optional.of("Default/Nowhere"), "", CLI))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("Default/Nowhere");
            assertThat(folders.create("Finance", Optional.of("Default/Finance"), "", CLI).path())
                    .as("the same name under another parent").isEqualTo("Default/Finance/Finance");
            assertThat(folders.list(CLI)).hasSize(3);
        }

        @Test
        void a_folder_is_renamed_described_and_moved_but_never_below_itself_and_the_root_stays() {
            String finance = f.folder("root", "Finance");
            String ap = f.folder(finance, "AP");
            String hr = f.folder("root", "HR");

            Folders.Shown renamed = folders.update(ap, new Folders.Change(Optional.of("Payables"), Optional.of("Bills we pay"),
                    Optional.empty()), CLI);
            assertThat(renamed.path()).isEqualTo("Default/Finance/Payables");
            assertThat(renamed.folder().description()).isEqualTo("Bills we pay");

            assertThat(folders.update(ap, new Folders.Change(Optional.empty(), Optional.empty(), Optional.of("Default/HR")), CLI).path())
                    .isEqualTo("Default/HR/Payables");
            assertThatThrownBy(() -> folders.update(hr, new Folders.Change(Optional.empty(), Optional.empty(), Optional.of(ap)), CLI))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("itself or below it");
            assertThatThrownBy(() -> folders.update(hr, new Folders.Change(Optional.empty(), Optional.empty(), Optional.of(hr)), CLI))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> folders.update("root", new Folders.Change(Optional.empty(), Optional.empty(),
                    Optional.of(finance)), CLI)).isInstanceOf(InvalidInputException.class).hasMessageContaining("root folder cannot be moved");
            assertThatThrownBy(() -> folders.delete("root", CLI)).isInstanceOf(ConflictException.class);
            f.folder(finance, "Payables");
            assertThatThrownBy(() -> folders.update(ap, new Folders.Change(Optional.empty(), Optional.empty(), Optional.of(finance)), CLI))
                    .as("a sibling of that name is there already").isInstanceOf(ConflictException.class);
            assertThat(folders.get(ap, CLI).path()).isEqualTo("Default/HR/Payables");
        }

        @Test
        void only_an_empty_folder_is_deleted_and_the_refusal_names_what_is_in_it() {
            String finance = f.folder("root", "Finance");
            String ap = f.folder(finance, "AP");
            f.jdbi.useHandle(h -> h.execute("INSERT INTO workflows (id, name, latest_version, created_at, updated_at, created_by,"
                    + " folder_id) VALUES ('wf_1', 'Orders', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'test', '" + finance + "')"));
            String sa = f.access.serviceAccounts().create("ci", "", CLI).account().id();
            String binding = f.bind(Principal.SERVICE_ACCOUNT, sa, "viewer", finance);

            assertThatThrownBy(() -> folders.delete(finance, CLI)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("Default/Finance is not empty")
                    .hasMessageContaining("1 subfolders").hasMessageContaining("1 workflows").hasMessageContaining("1 bindings")
                    .satisfies(e -> assertThat(((ConflictException) e).details()).containsEntry("workflows", 1L));

            folders.delete(ap, CLI);
            f.access.bindings().revoke(finance, binding, CLI);
            f.jdbi.useHandle(h -> h.execute("DELETE FROM workflows"));
            folders.delete(finance, CLI);
            assertThat(folders.list(CLI)).extracting(Folders.Shown::path).containsExactly("Default");
            assertThatThrownBy(() -> folders.get(finance, CLI)).isInstanceOf(NotFoundException.class);
        }

        @Test
        void a_caller_sees_the_folders_it_holds_a_role_in_and_below_with_their_ancestors_drawn_but_not_visible() {
            String finance = f.folder("root", "Finance");
            String ap = f.folder(finance, "AP");
            String hr = f.folder("root", "HR");
            String ann = f.user("ann");
            f.bind(Principal.USER, "ann", "viewer", "Default/Finance");
            Actor viewer = f.person(ann);

            assertThat(folders.list(viewer)).extracting(s -> s.path() + (s.visible() ? "" : " (path only)"))
                    .containsExactly("Default (path only)", "Default/Finance", "Default/Finance/AP");
            assertThat(folders.get(ap, viewer).path()).isEqualTo("Default/Finance/AP");
            assertThatThrownBy(() -> folders.get(hr, viewer)).as("a folder it cannot see does not exist for it")
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> folders.get("root", viewer)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> folders.create("Team", Optional.of(finance), "", viewer)).as("sees, may not change")
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining(Permission.FOLDER_MANAGE.wireName());
            assertThatThrownBy(() -> folders.create("Team", Optional.of(hr), "", viewer)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> folders.delete(hr, viewer)).isInstanceOf(NotFoundException.class);
        }

        @Test
        void a_folder_admin_manages_below_its_folder_but_not_the_folder_itself_nor_beside_it() {
            String finance = f.folder("root", "Finance");
            String ben = f.user("ben");
            f.bind(Principal.USER, ben, "folder_admin", finance);
            String team = folders.create("Team", Optional.of(finance), "", f.person(ben)).folder().id();
            Actor admin = f.person(ben); // the next request: its grants cover the new folder
            folders.update(team, new Folders.Change(Optional.of("Crew"), Optional.empty(), Optional.empty()), admin);
            folders.update(finance, new Folders.Change(Optional.empty(), Optional.of("described by its admin"), Optional.empty()), admin);
            folders.delete(team, admin);

            assertThatThrownBy(() -> folders.create("Sales", Optional.empty(), "", admin)).isInstanceOf(InvalidInputException.class)
                    .as("the root is not visible to it: the default parent does not exist for it");
            assertThatThrownBy(() -> folders.update(finance, new Folders.Change(Optional.of("Money"), Optional.empty(), Optional.empty()),
                    admin)).as("renaming changes its parent").isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> folders.delete(finance, admin)).isInstanceOf(ForbiddenException.class);
            assertThat(folders.get(finance, CLI).folder()).extracting(Folder::name, Folder::description)
                    .containsExactly("Finance", "described by its admin");
            assertThat(f.strings("SELECT actor_id FROM audit_events WHERE action = 'folder.delete'")).containsExactly(ben);
        }
    }
}
