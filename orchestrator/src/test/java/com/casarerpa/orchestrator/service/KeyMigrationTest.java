package com.casarerpa.orchestrator.service;

import static com.casarerpa.orchestrator.testing.AccessFixture.CLI;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.AccessFixture;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * API keys made before folders keep the access they had once the database is migrated: each
 * admin, operator and viewer key through a service account of its own bound at the root (an
 * operator as developer and operator), a robot key as a robot credential. On PostgreSQL and H2.
 */
class KeyMigrationTest {
    private static final String BEFORE_FOLDERS = "14";

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dataDir;
        TestDatabase.Empty empty;
        Database db;

        @BeforeEach
        void upgradeADatabaseWithKeysOfEveryRole() {
            empty = database.empty(dataDir);
            db = Database.open(empty.url(), PoolSettings.forCommand());
            Flyway.configure(Migrations.class.getClassLoader()).dataSource(db.dataSource())
                    .locations("classpath:db/migration/common", db.dialect().vendorMigrationLocation())
                    .target(BEFORE_FOLDERS).load().migrate();
            Jdbi3.of(db).useHandle(h -> {
                for (Role role : Role.KEY_ROLES) {
                    h.createUpdate("INSERT INTO api_keys (id, name, role, key_hash, key_prefix, robot_id, created_at, created_by)"
                                    + " VALUES (:id, :name, :role, :hash, 'crpa_old', :robot, CURRENT_TIMESTAMP, 'cli:ops (ops)')")
                            .bind("id", "key_" + role.wireName()).bind("name", role.wireName() + " key").bind("role", role.wireName())
                            .bind("hash", ApiKeys.hash(plaintext(role)))
                            .bind("robot", role == Role.ROBOT ? "robot-vm-1" : null)
                            .execute();
                }
            });
            new Migrations(db).migrate();
        }

        @AfterEach
        void close() {
            db.close();
            empty.close();
        }

        private static String plaintext(Role role) {
            return ApiKeys.KEY_PREFIX + "old-" + role.wireName() + "-key-of-forty-three-characters-x";
        }

        @Test
        void every_key_acts_as_before_in_every_folder_present_and_future() {
            AccessFixture f = new AccessFixture(db, Clock.systemUTC());
            String finance = f.folder("root", "Finance");
            for (Role role : Role.KEY_ROLES) {
                Actor actor = f.keys.authenticate(plaintext(role));
                assertThat(actor.grants()).as(role.wireName()).isEqualTo(Actor.grantsOf(role));
                assertThat(actor.robot()).as(role.wireName()).isEqualTo(role == Role.ROBOT);
                ApiKey key = f.keys.get("key_" + role.wireName());
                assertThat(key.role()).as("the key still shows the role it was made with").isEqualTo(role);
                assertThat(key.owner().kind()).isEqualTo(role == Role.ROBOT ? ApiKey.Owner.ROBOT : ApiKey.Owner.SERVICE_ACCOUNT);
            }
            Actor admin = f.keys.authenticate(plaintext(Role.ADMIN));
            assertThat(admin.isAdmin()).isTrue();
            assertThat(admin.may(Permission.FOLDER_MANAGE, finance)).isTrue();
            Actor operator = f.keys.authenticate(plaintext(Role.OPERATOR));
            assertThat(operator.may(Permission.WORKFLOW_DEPLOY, finance)).as("an operator key deployed").isTrue();
            assertThat(operator.may(Permission.JOB_RUN, finance)).isTrue();
            assertThat(operator.may(Permission.WORKFLOW_DELETE, finance)).isFalse();
            Actor viewer = f.keys.authenticate(plaintext(Role.VIEWER));
            assertThat(viewer.may(Permission.JOB_READ, finance)).isTrue();
            assertThat(viewer.may(Permission.JOB_RUN, finance)).isFalse();
            Actor robot = f.keys.authenticate(plaintext(Role.ROBOT));
            assertThat(robot.robotId()).contains("robot-vm-1");
            assertThat(robot.may(Permission.WORKFLOW_READ, "root")).isFalse();

            assertThat(f.access.serviceAccounts().list(false)).extracting(a -> a.name())
                    .containsExactlyInAnyOrder("admin key", "operator key", "viewer key");
            assertThat(f.access.serviceAccounts().get("operator key").bindings()).extracting(b -> b.binding().roleName() + "@" + b.folderPath())
                    .containsExactlyInAnyOrder("developer@Default", "operator@Default");
            assertThat(f.access.folders().list(CLI)).extracting(Folders.Shown::path).containsExactly("Default", "Default/Finance");
            assertThat(f.access.bindings().list("root", CLI)).as("the admin key's account is the installation's admin")
                    .anyMatch(b -> b.binding().roleName().equals("admin"));
            assertThat(f.count("SELECT COUNT(*) FROM role_bindings")).as("one per key role, two for the operator").isEqualTo(4);
        }
    }
}
