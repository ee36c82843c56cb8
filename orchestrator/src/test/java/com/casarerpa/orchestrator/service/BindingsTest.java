package com.casarerpa.orchestrator.service;

import static com.casarerpa.orchestrator.testing.AccessFixture.CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.testing.AccessFixture;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** Bindings: inherited downwards, granted without escalation, the last admin kept; on PostgreSQL and H2. */
class BindingsTest {
    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        AccessFixture f;
        Bindings bindings;
        String finance;
        String ap;
        String hr;

        @BeforeEach
        void open() {
            db = database.migrated(dir);
            f = new AccessFixture(db.database(), Clock.systemUTC());
            bindings = f.access.bindings();
            finance = f.folder("root", "Finance");
            ap = f.folder(finance, "AP");
            hr = f.folder("root", "HR");
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void a_binding_counts_in_its_folder_and_below_and_nowhere_else() {
            String ann = f.user("ann");
            f.bind(Principal.USER, "ann", "viewer", "Default/Finance");
            Actor viewer = f.person(ann);

            assertThat(viewer.may(Permission.WORKFLOW_READ, finance)).isTrue();
            assertThat(viewer.may(Permission.WORKFLOW_READ, ap)).as("below").isTrue();
            assertThat(viewer.may(Permission.WORKFLOW_READ, hr)).as("beside").isFalse();
            assertThat(viewer.may(Permission.WORKFLOW_READ, "root")).as("above").isFalse();
            assertThat(viewer.may(Permission.JOB_RUN, ap)).isFalse();
            assertThat(viewer.grants().sees(ap)).isTrue();
            assertThat(viewer.grants().sees(hr)).isFalse();

            List<Bindings.Shown> listed = bindings.list(ap, CLI);
            assertThat(listed).extracting(s -> s.binding().principalName() + " " + s.binding().roleName() + " @" + s.folderPath()
                    + (s.inherited() ? " inherited" : "")).containsExactly("ann viewer @Default/Finance inherited");
            assertThat(bindings.list(hr, CLI)).isEmpty();
        }

        @Test
        void a_folder_admin_grants_what_it_holds_there_and_nothing_more() {
            String ben = f.user("ben");
            f.user("cat");
            f.bind(Principal.USER, ben, "folder_admin", finance);
            Actor admin = f.person(ben);

            Bindings.Shown granted = bindings.grant(ap, Principal.USER, "cat", "operator", admin);
            assertThat(granted.binding().principalName()).isEqualTo("cat");
            assertThat(granted.folderPath()).isEqualTo("Default/Finance/AP");
            assertThat(f.person("usr_cat").may(Permission.JOB_RUN, ap)).isTrue();

            assertThatThrownBy(() -> bindings.grant(hr, Principal.USER, "cat", "viewer", admin)).as("a folder it cannot see")
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> bindings.grant("root", Principal.USER, "cat", "admin", admin)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> bindings.grant(finance, Principal.USER, "cat", "admin", admin))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("root folder only");
            f.access.roles().create("auditor", "", List.of("audit.read", "workflow.export_secrets"), CLI);
            assertThatThrownBy(() -> bindings.grant(finance, Principal.USER, "cat", "auditor", admin))
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("workflow.export_secrets").hasMessageContaining("no one grants more");
            assertThatThrownBy(() -> bindings.grant(ap, Principal.USER, "cat", "operator", admin)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining(granted.binding().id());
            assertThatThrownBy(() -> bindings.grant(ap, Principal.USER, "nobody", "viewer", admin))
                    .isInstanceOf(InvalidInputException.class).extracting(e -> ((InvalidInputException) e).field()).isEqualTo("principal.id");
            assertThatThrownBy(() -> bindings.grant(ap, "robot", "cat", "viewer", admin))
                    .isInstanceOf(InvalidInputException.class).extracting(e -> ((InvalidInputException) e).field()).isEqualTo("principal.kind");
            assertThatThrownBy(() -> bindings.grant(ap, Principal.USER, "cat", "superuser", admin))
                    .isInstanceOf(InvalidInputException.class).extracting(e -> ((InvalidInputException) e).field()).isEqualTo("role");

            Actor operator = f.person("usr_cat");
            assertThatThrownBy(() -> bindings.grant(ap, Principal.USER, "ben", "viewer", operator)).as("an operator manages no bindings")
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> bindings.revoke(ap, granted.binding().id(), operator)).isInstanceOf(ForbiddenException.class);
            bindings.revoke(ap, granted.binding().id(), admin);
            assertThat(f.person("usr_cat").may(Permission.JOB_RUN, ap)).isFalse();
        }

        @Test
        void only_an_admin_grants_the_admin_role_and_a_binding_is_taken_back_where_it_was_made() {
            String dan = f.user("dan");
            String eve = f.user("eve");
            String adminBinding = f.bind(Principal.USER, dan, "admin", "root");
            f.bind(Principal.USER, eve, "folder_admin", "root");
            Actor folderAdmin = f.person(eve);

            assertThatThrownBy(() -> bindings.grant("root", Principal.USER, eve, "admin", folderAdmin))
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("only an administrator");
            assertThatThrownBy(() -> bindings.revoke("root", adminBinding, folderAdmin)).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> bindings.revoke(finance, adminBinding, CLI)).as("made at the root, not in Finance")
                    .isInstanceOf(NotFoundException.class);
            bindings.grant("root", Principal.USER, eve, "admin", f.person(dan));
            assertThat(f.person(eve).isAdmin()).isTrue();
        }

        @Test
        void the_last_admin_binding_is_never_taken_back() {
            String dan = f.user("dan");
            String only = f.bind(Principal.USER, dan, "admin", "root");

            assertThatThrownBy(() -> bindings.revoke("root", only, CLI)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("without an administrator")
                    .satisfies(e -> assertThat(((ConflictException) e).code()).isEqualTo("last_admin"));
            assertThat(f.person(dan).isAdmin()).as("nothing changed").isTrue();

            String eve = f.user("eve");
            f.bind(Principal.USER, eve, "admin", "root");
            f.setUserStatus(eve, "disabled");
            assertThatThrownBy(() -> bindings.revoke("root", only, CLI)).as("a disabled admin is no admin")
                    .isInstanceOf(ConflictException.class);
            f.setUserStatus(eve, "active");
            bindings.revoke("root", only, f.person(eve));
            assertThat(f.person(dan).isAdmin()).isFalse();
            assertThat(f.count("SELECT COUNT(*) FROM audit_events WHERE action = 'binding.delete'")).isEqualTo(1);
        }

        @Test
        void the_last_admin_is_kept_through_groups_and_service_accounts_too() {
            String dan = f.user("dan");
            String group = f.access.groups().create("Admins", "", Optional.empty(), CLI).group().id();
            f.access.groups().addMember(group, dan, CLI);
            f.bind(Principal.GROUP, "Admins", "admin", "root");
            assertThat(f.person(dan).isAdmin()).as("through the group").isTrue();
            assertThatThrownBy(() -> f.access.groups().removeMember(group, "dan", CLI)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> f.access.groups().delete(group, CLI)).isInstanceOf(ConflictException.class);

            String sa = f.access.serviceAccounts().create("ci", "", CLI).account().id();
            f.bind(Principal.SERVICE_ACCOUNT, sa, "admin", "root");
            f.access.groups().delete(group, CLI);
            assertThat(f.person(dan).isAdmin()).isFalse();
            assertThat(f.count("SELECT COUNT(*) FROM role_bindings WHERE principal_kind = 'group'")).as("its bindings went with it")
                    .isZero();
            assertThatThrownBy(() -> f.access.serviceAccounts().disable(sa, CLI)).isInstanceOf(ConflictException.class);
            assertThat(f.access.serviceAccounts().get(sa).account().disabled()).isFalse();
        }
    }
}
