package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.JobHistoryRows;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** {@code export-jobs}: finished jobs of a range of finish times, with attempts and logs, as JSON lines; on PostgreSQL and H2. */
class ExportJobsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        Jdbi jdbi;
        final Instant now = Instant.now();

        @BeforeEach
        void open() {
            db = database.migrated(dir.resolve("data"));
            new QueueFixture(db.database(), Duration.ZERO);
            jdbi = Jdbi3.of(db.database());
            job("j_old_1", "succeeded", 120, 3);
            job("j_old_2", "failed", 110, 0);
            job("j_recent", "succeeded", 10, 1);
            job("j_running", "running", -1, 1);
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void finished_jobs_before_a_date_are_written_oldest_first_with_their_attempts_and_logs() throws IOException {
            Result result = run("export-jobs", "--before", "90d", "--output", "old.jsonl");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("Exported 2 finished jobs (3 log lines, 2 attempts)").contains("to old.jsonl.");
            assertThat(result.err()).contains("export-jobs: 2 of 2 jobs (100%)");
            List<JsonNode> lines = lines(Files.newInputStream(dir.resolve("old.jsonl")));
            assertThat(lines).extracting(l -> l.get("id").asText()).containsExactly("j_old_1", "j_old_2");
            JsonNode first = lines.getFirst();
            assertThat(first.get("state").asText()).isEqualTo("succeeded");
            assertThat(first.get("attempts")).hasSize(1);
            assertThat(first.get("attempts").get(0).get("robot_id").asText()).isEqualTo("robot-1");
            assertThat(first.get("logs")).hasSize(3);
            assertThat(first.get("logs").get(2).get("message").asText()).isEqualTo("line 3");
            assertThat(lines.get(1).get("logs")).isEmpty();
        }

        @Test
        void a_range_gzip_and_a_json_summary() throws IOException {
            Result result = run("export-jobs", "--from", "115d", "--before", "5d", "--output", "range.jsonl.gz", "--json");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            JsonNode summary = JSON.readTree(result.out());
            assertThat(summary.get("jobs").asLong()).isEqualTo(2);
            assertThat(summary.get("logs").asLong()).isEqualTo(1);
            assertThat(summary.get("format").asText()).isEqualTo("jsonl.gz");
            assertThat(summary.get("bytes").asLong()).isPositive();
            List<JsonNode> lines = lines(new GZIPInputStream(Files.newInputStream(dir.resolve("range.jsonl.gz"))));
            assertThat(lines).extracting(l -> l.get("id").asText()).containsExactly("j_old_2", "j_recent");
        }

        @Test
        void help_shows_the_options_and_the_daily_routine() {
            Result help = run("export-jobs", "--help");

            assertThat(help.exitCode()).as(help.toString()).isZero();
            assertThat(help.out()).contains("--before=WHEN", "--from=WHEN", "--output=FILE", "--json")
                    .contains("--from $(date -u -d '81 days ago' +%F)");
        }

        @Test
        void bad_input_is_one_line_and_writes_nothing() {
            Result badDate = run("export-jobs", "--before", "last tuesday", "--output", "x.jsonl");
            assertThat(badDate.exitCode()).isEqualTo(2);
            assertThat(badDate.err().strip()).contains("--before: expected an age (90d, 12h, 2w), a date").doesNotContain("\n");

            Result backwards = run("export-jobs", "--from", "2026-01-02", "--before", "2026-01-01", "--output", "x.jsonl");
            assertThat(backwards.exitCode()).isEqualTo(2);
            assertThat(backwards.err()).contains("--from: must be before --before");

            Result noDir = run("export-jobs", "--before", "1d", "--output", "missing/x.jsonl");
            assertThat(noDir.exitCode()).isEqualTo(1);
            assertThat(noDir.err()).contains("does not exist");
            assertThat(dir.resolve("x.jsonl")).doesNotExist();
        }

        private Result run(String... args) {
            return CliHarness.orchestrator(db.env(), dir, args);
        }

        /** A job that finished {@code daysAgo} days ago (negative: not finished) with one attempt and {@code logs} lines. */
        private void job(String id, String state, int daysAgo, int logs) {
            Instant at = now.minus(Duration.ofDays(Math.abs(daysAgo)));
            JobHistoryRows.job(jdbi, id, state, at, daysAgo < 0 ? Optional.empty() : Optional.of(at), logs);
        }

        private static List<JsonNode> lines(InputStream in) throws IOException {
            try (in) {
                List<JsonNode> out = new ArrayList<>();
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        out.add(JSON.readTree(line));
                    }
                }
                return out;
            }
        }
    }
}
