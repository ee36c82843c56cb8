package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** A submit made with a cached workflow stores its job only while the workflow is as cached, and nothing otherwise. */
class WorkflowStampTest {
    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        QueueFixture queue;

        @BeforeEach
        void setUp() {
            db = database.migrated(dir);
            queue = new QueueFixture(db.database(), Duration.ZERO);
        }

        @AfterEach
        void tearDown() {
            db.close();
        }

        @Test
        void a_job_is_stored_while_its_workflow_is_as_stamped() {
            JobStore.NewJob job = queue.job();
            assertThat(queue.jobs.submit(job, Optional.empty(), Optional.of(new WorkflowStamp(1, "root", "fixture"))).job().id())
                    .isEqualTo(job.id());
            JobStore.NewJob withRequirements = queue.job(10, List.of("browser"));
            assertThat(queue.jobs.submit(withRequirements, Optional.empty(), Optional.of(new WorkflowStamp(1, "root", "fixture")))
                    .job().requiredCapabilities()).containsExactly("browser");
        }

        @Test
        void a_new_version_a_move_or_a_rename_since_the_stamp_stores_nothing() {
            for (WorkflowStamp stale : List.of(new WorkflowStamp(0, "root", "fixture"), new WorkflowStamp(1, "elsewhere", "fixture"),
                    new WorkflowStamp(1, "root", "old name"))) {
                for (JobStore.NewJob job : List.of(queue.job(), queue.job(10, List.of("browser")))) {
                    assertThatThrownBy(() -> queue.jobs.submit(job, Optional.empty(), Optional.of(stale)))
                            .as("%s", stale).isInstanceOf(StaleWorkflowException.class);
                    assertThat(queue.jobs.find(job.id())).as("nothing stored under %s", stale).isEmpty();
                }
            }
        }
    }
}
