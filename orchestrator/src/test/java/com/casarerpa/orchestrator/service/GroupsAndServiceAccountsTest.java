package com.casarerpa.orchestrator.service;

import static com.casarerpa.orchestrator.testing.AccessFixture.CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.Role;
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

/** Groups hand their bindings to their members; service-account keys act with the account's bindings. PostgreSQL and H2. */
class GroupsAndServiceAccountsTest {
    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        AccessFixture f;
        String finance;

        @BeforeEach
        void open() {
            db = database.migrated(dir);
            f = new AccessFixture(db.database(), Clock.systemUTC());
            finance = f.folder("root", "Finance");
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void a_member_holds_the_groups_roles_until_it_leaves() {
            String ann = f.user("ann");
            Groups groups = f.access.groups();
            Groups.Detail g = groups.create("Finance operators", "Run the books", Optional.of("finance-ops"), CLI);
            f.bind(Principal.GROUP, "Finance operators", "operator", "Default/Finance");
            assertThat(f.person(ann).may(Permission.JOB_RUN, finance)).isFalse();

            assertThat(groups.addMember(g.group().id(), "ann", CLI).members()).extracting(m -> m.username() + "/" + m.source())
                    .containsExactly("ann/local");
            assertThat(groups.addMember(g.group().id(), ann, CLI).group().members()).as("a member already").isEqualTo(1);
            assertThat(f.person(ann).may(Permission.JOB_RUN, finance)).isTrue();
            assertThat(f.person(ann).may(Permission.JOB_RUN, "root")).isFalse();

            groups.removeMember("Finance operators", ann, CLI);
            assertThat(f.person(ann).may(Permission.JOB_RUN, finance)).isFalse();
            assertThat(f.strings("SELECT action FROM audit_events WHERE target_type = 'group' ORDER BY id"))
                    .containsExactly("group.create", "group.member_add", "group.member_remove");
        }

        @Test
        void group_names_and_mappings_are_unique_and_members_are_real_users() {
            Groups groups = f.access.groups();
            String id = groups.create("Ops", "", Optional.of("ops"), CLI).group().id();
            assertThatThrownBy(() -> groups.create("Ops", "", Optional.empty(), CLI)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> groups.create("Other", "", Optional.of("ops"), CLI)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> groups.create(" ", "", Optional.empty(), CLI)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> groups.addMember(id, "nobody", CLI)).isInstanceOf(NotFoundException.class);
            Groups.Detail changed = groups.update("Ops", new Groups.Change(Optional.of("Operations"), Optional.of("24/7"),
                    Optional.of("")), CLI);
            assertThat(changed.group().name()).isEqualTo("Operations");
            assertThat(changed.group().externalName()).isEmpty();
            assertThat(groups.list()).hasSize(1);
        }

        @Test
        void adding_a_member_hands_on_the_groups_roles_so_it_needs_what_granting_them_needs() {
            String ben = f.user("ben");
            f.user("cat");
            f.bind(Principal.USER, ben, "folder_admin", finance);
            f.access.groups().create("Admins", "", Optional.empty(), CLI);
            f.bind(Principal.GROUP, "Admins", "admin", "root");
            // user.manage lets a caller manage groups; it does not let it make itself an admin
            f.access.roles().create("people_admin", "", java.util.List.of("user.manage"), CLI);
            f.bind(Principal.USER, ben, "people_admin", "root");
            assertThatThrownBy(() -> f.access.groups().addMember("Admins", "cat", f.person(ben)))
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("admin");
        }

        @Test
        void a_service_account_key_acts_with_the_accounts_bindings_and_stops_when_it_is_disabled() {
            ServiceAccounts accounts = f.access.serviceAccounts();
            String sa = accounts.create("CI deploys", "The pipeline", CLI).account().id();
            ApiKeys.IssuedKey key = accounts.issueKey(sa, "pipeline", Optional.empty(), CLI);
            assertThat(key.key().role()).isEqualTo(Role.BINDINGS);
            assertThat(key.key().owner()).isEqualTo(ApiKey.Owner.serviceAccount(sa));

            Actor before = f.keys.authenticate(key.plaintext());
            assertThat(before.grants().permissionsSomewhere()).as("no bindings yet").isEmpty();

            f.bind(Principal.SERVICE_ACCOUNT, "CI deploys", "developer", "Default/Finance");
            Actor bound = f.keys.authenticate(key.plaintext());
            assertThat(bound.may(Permission.WORKFLOW_DEPLOY, finance)).isTrue();
            assertThat(bound.may(Permission.WORKFLOW_DEPLOY, "root")).isFalse();
            assertThat(bound.robot()).isFalse();

            ServiceAccounts.Detail detail = accounts.get("CI deploys");
            assertThat(detail.keys()).extracting(ApiKey::id).containsExactly(key.key().id());
            assertThat(detail.bindings()).extracting(b -> b.binding().roleName() + "@" + b.folderPath())
                    .containsExactly("developer@Default/Finance");

            ServiceAccounts.Detail disabled = accounts.disable(sa, CLI);
            assertThat(disabled.account().disabled()).isTrue();
            assertThat(disabled.keys()).allMatch(k -> k.revokedAt().isPresent());
            assertThatThrownBy(() -> f.keys.authenticate(key.plaintext())).isInstanceOf(NotAuthenticated.class);
            assertThatThrownBy(() -> accounts.issueKey(sa, "again", Optional.empty(), CLI)).isInstanceOf(ConflictException.class);
            assertThat(accounts.list(false)).isEmpty();
            assertThat(accounts.list(true)).hasSize(1);
            accounts.disable(sa, CLI);
            assertThat(f.count("SELECT COUNT(*) FROM audit_events WHERE action = 'service_account.disable'")).isEqualTo(1);
        }
    }
}
