package com.casarerpa.orchestrator.service;

import static com.casarerpa.orchestrator.testing.AccessFixture.CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.RoleDefinition;
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

/** Custom roles: made of known permissions, bound like built-in ones, deleted only when unbound. PostgreSQL and H2. */
class RoleCatalogTest {
    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        AccessFixture f;
        RoleCatalog roles;

        @BeforeEach
        void open() {
            db = database.migrated(dir);
            f = new AccessFixture(db.database(), Clock.systemUTC());
            roles = f.access.roles();
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void a_custom_role_is_listed_after_the_built_in_ones_and_bound_like_them() {
            RoleDefinition runner = roles.create("runner", "Runs jobs, reads them", List.of("job.read", "job.run", "workflow.read"), CLI);
            assertThat(roles.list()).extracting(RoleDefinition::name)
                    .containsExactly("admin", "folder_admin", "developer", "operator", "viewer", "robot", "runner");
            assertThat(roles.get("runner").permissions()).containsExactlyInAnyOrder(Permission.JOB_READ, Permission.JOB_RUN,
                    Permission.WORKFLOW_READ);

            String ann = f.user("ann");
            String finance = f.folder("root", "Finance");
            f.bind(Principal.USER, ann, "runner", finance);
            assertThat(f.person(ann).may(Permission.JOB_RUN, finance)).isTrue();
            assertThat(f.person(ann).may(Permission.JOB_CANCEL, finance)).isFalse();

            roles.update("runner", Optional.empty(), Optional.of(List.of("job.read", "job.run", "job.cancel")), CLI);
            assertThat(f.person(ann).may(Permission.JOB_CANCEL, finance)).as("a change counts at once").isTrue();
            assertThat(f.person(ann).may(Permission.WORKFLOW_READ, finance)).isFalse();

            assertThatThrownBy(() -> roles.delete("runner", CLI)).isInstanceOf(ConflictException.class).hasMessageContaining("bound 1");
            assertThat(runner.builtIn()).isFalse();
        }

        @Test
        void bad_roles_are_refused_naming_the_field_and_built_in_ones_never_change() {
            assertThatThrownBy(() -> roles.create("runner", "", List.of("job.read", "job.fly"), CLI)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("job.fly").extracting(e -> ((InvalidInputException) e).field()).isEqualTo("permissions[1]");
            assertThatThrownBy(() -> roles.create("Runner!", "", List.of("job.read"), CLI)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> roles.create("empty", "", List.of(), CLI)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> roles.create("viewer", "", List.of("job.read"), CLI)).isInstanceOf(ConflictException.class);
            roles.create("runner", "", List.of("job.read"), CLI);
            assertThatThrownBy(() -> roles.create("runner", "", List.of("job.read"), CLI)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> roles.update("operator", Optional.of("mine now"), Optional.empty(), CLI))
                    .isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> roles.delete("admin", CLI)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> roles.delete("nope", CLI)).isInstanceOf(NotFoundException.class);

            String ben = f.user("ben");
            f.bind(Principal.USER, ben, "folder_admin", "root");
            f.access.roles().create("people", "", List.of("user.manage"), CLI);
            f.bind(Principal.USER, ben, "people", "root");
            assertThatThrownBy(() -> roles.create("keys", "", List.of("api_key.manage"), f.person(ben)))
                    .as("a role holds only what its author holds").isInstanceOf(ForbiddenException.class);

            roles.delete("runner", CLI);
            assertThat(roles.find("runner")).isEmpty();
            assertThat(f.strings("SELECT action FROM audit_events WHERE target_type = 'role' ORDER BY id"))
                    .containsExactly("role.create", "role.create", "role.delete");
        }
    }
}
