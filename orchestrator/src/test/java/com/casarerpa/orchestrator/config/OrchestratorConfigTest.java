package com.casarerpa.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.config.Secret;
import com.casarerpa.common.logging.LogFormat;
import com.casarerpa.orchestrator.config.LoadedConfig.Entry;
import com.casarerpa.orchestrator.config.LoadedConfig.Source;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.event.Level;

class OrchestratorConfigTest {
    /** The example of the specification, section "Configuration File", as printed there. */
    static final String SPEC_EXAMPLE = """
            orchestrator:
              host: 0.0.0.0
              port: 8000
              workers: 4

              # JWT settings
              secret_key: ${ORCHESTRATOR_SECRET_KEY}
              token_expiry_hours: 24

              # Rate limiting
              rate_limit:
                requests_per_minute: 100
                burst: 20

            database:
              url: ${DATABASE_URL}
              pool_size: 20
              max_overflow: 10

            queue:
              # Job queue settings
              max_retries: 3
              retry_delay_seconds: 60
              visibility_timeout_seconds: 300

            scheduler:
              # Cron scheduler settings
              timezone: UTC
              max_concurrent_schedules: 100

            logging:
              level: INFO
              format: json
              path: /var/log/casare-rpa/orchestrator.log
            """;

    @TempDir
    Path dir;

    private LoadedConfig load(Map<String, String> env) {
        return load(env, Map.of());
    }

    private LoadedConfig load(Map<String, String> env, Map<String, String> flags) {
        return OrchestratorConfig.load(context(env), Optional.empty(), flags);
    }

    private CliContext context(Map<String, String> env) {
        return new CliContext(env, dir, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    private Path writeDefaultFile(String yaml) throws IOException {
        Path file = dir.resolve("config/orchestrator.yaml");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, yaml);
    }

    private static Entry entry(LoadedConfig config, String key) {
        return config.entries().stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void without_file_or_variables_every_key_has_its_documented_default() {
        LoadedConfig config = load(Map.of());
        OrchestratorSettings s = config.settings();
        assertThat(s.orchestrator()).isEqualTo(new OrchestratorSettings.Server("127.0.0.1", 8000, 1, Optional.empty(), 24,
                new OrchestratorSettings.RateLimit(100, 20, 20)));
        assertThat(s.database()).isEqualTo(new OrchestratorSettings.Database(Optional.empty(), 20, 10, 10));
        assertThat(s.database().embedded()).isTrue();
        assertThat(s.queue()).isEqualTo(new OrchestratorSettings.Queue(3, 60, 300));
        assertThat(s.robots()).isEqualTo(new OrchestratorSettings.Robots(5, 30, 30, 10, 10, 60, 30,
                new OrchestratorSettings.MessageRate(200, 1000), new OrchestratorSettings.ConnectLimit(20_000, 2000, 1000)));
        assertThat(s.scheduler()).isEqualTo(new OrchestratorSettings.Scheduler(ZoneId.of("UTC"), 100, "queue"));
        assertThat(s.retention()).isEqualTo(new OrchestratorSettings.Retention(true, 90, 90, 365, 500, 60));
        assertThat(s.metrics()).isEqualTo(new OrchestratorSettings.Metrics(true,
                List.of(NetworkRange.parse("127.0.0.1/32"), NetworkRange.parse("::1/128"))));
        assertThat(s.oidc()).as("single sign-on is off without an issuer").isEmpty();
        assertThat(s.logging().level()).isEqualTo(Level.INFO);
        assertThat(s.logging().format()).isEqualTo(LogFormat.TEXT);
        assertThat(s.logging().path()).isEmpty();
        assertThat(s.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(s.publicApiUrl()).isEmpty();
        assertThat(s.publicWebhookUrl()).isEmpty();
        assertThat(s.ingress()).as("plain HTTP, no proxy trusted").isEqualTo(OrchestratorSettings.Ingress.direct());
        assertThat(s.lifecycle()).isEqualTo(new OrchestratorSettings.Lifecycle(dir.resolve("data/orchestrator.pid"),
                dir.resolve("data/orchestrator.log"), 0));
        assertThat(config.configFile()).isEmpty();
        assertThat(config.entries()).allSatisfy(e -> assertThat(e.source()).isEqualTo(Source.DEFAULT));
    }

    @Test
    void entries_list_every_key_in_a_stable_order() {
        assertThat(load(Map.of()).entries()).extracting(Entry::key).containsExactly(
                "orchestrator.host", "orchestrator.port", "orchestrator.workers", "orchestrator.secret_key",
                "orchestrator.token_expiry_hours", "orchestrator.rate_limit.requests_per_minute",
                "orchestrator.rate_limit.burst", "orchestrator.rate_limit.feeds_per_caller", "orchestrator.data_dir",
                "orchestrator.api_url",
                "orchestrator.webhook_url", "orchestrator.ssl_cert", "orchestrator.ssl_key", "orchestrator.trusted_proxies",
                "orchestrator.client_address_header", "orchestrator.trust_host_header", "orchestrator.pid_file",
                "orchestrator.log_file", "orchestrator.drain_delay_seconds", "database.url", "database.pool_size", "database.max_overflow",
                "database.statement_timeout_seconds", "database.pool_mode", "database.direct_url", "redis.url", "redis.key_prefix", "redis.timeout_ms",
                "queue.max_retries", "queue.retry_delay_seconds", "queue.visibility_timeout_seconds",
                "robots.heartbeat_interval_seconds", "robots.heartbeat_timeout_seconds", "robots.cancel_grace_seconds",
                "robots.cancel_resend_seconds", "robots.register_timeout_seconds", "robots.key_recheck_seconds",
                "robots.release_pause_seconds", "robots.rate_limit.messages_per_second", "robots.rate_limit.burst",
                "scheduler.timezone", "scheduler.max_concurrent_schedules", "scheduler.over_limit_policy",
                "retention.enabled", "retention.jobs_days", "retention.schedule_fires_days", "retention.audit_days",
                "retention.batch_size", "retention.interval_minutes",
                "metrics.enabled", "metrics.open_to",
                "auth.argon2_memory_kib", "auth.argon2_iterations", "auth.argon2_parallelism", "auth.password_min_length",
                "auth.lockout_attempts", "auth.lockout_minutes", "auth.access_token_minutes", "auth.session_hours",
                "auth.password_token_hours", "auth.personal_token_max_days",
                "oidc.issuer", "oidc.client_id", "oidc.client_secret", "oidc.redirect_uri", "oidc.scopes", "oidc.groups_claim",
                "oidc.username_claim", "oidc.auto_create_users", "oidc.display_name",
                "logging.level", "logging.format", "logging.path",
                "robots.connect_limit.per_minute", "robots.connect_limit.burst", "robots.connect_limit.registering");
    }

    @Test
    void the_specification_example_loads_with_its_variables_set() throws IOException {
        Path file = writeDefaultFile(SPEC_EXAMPLE);
        LoadedConfig config = load(Map.of("DATABASE_URL", "postgresql://casare:pw@db:5432/casare",
                "ORCHESTRATOR_SECRET_KEY", "k3y-from-env"));
        OrchestratorSettings s = config.settings();
        assertThat(s.orchestrator().host()).isEqualTo("0.0.0.0");
        assertThat(s.orchestrator().workers()).isEqualTo(4);
        assertThat(s.orchestrator().secretKey()).contains(new Secret("k3y-from-env"));
        assertThat(s.database().url()).contains(new Secret("postgresql://casare:pw@db:5432/casare"));
        assertThat(s.logging().format()).isEqualTo(LogFormat.JSON);
        assertThat(s.logging().path()).contains(Path.of("/var/log/casare-rpa/orchestrator.log"));
        assertThat(config.configFile()).contains(file);
        assertThat(entry(config, "orchestrator.workers")).isEqualTo(new Entry("orchestrator.workers", "4", Source.FILE, file + ":4"));
        // Both come through ${…} in the file: the file's line and the variable are where they came from.
        assertThat(entry(config, "database.url")).isEqualTo(new Entry("database.url", "postgresql://casare:****@db:5432/casare",
                Source.FILE, file + ":16", List.of("DATABASE_URL")));
        assertThat(entry(config, "orchestrator.secret_key")).isEqualTo(new Entry("orchestrator.secret_key", "****",
                Source.FILE, file + ":7", List.of("ORCHESTRATOR_SECRET_KEY")));
    }

    @Test
    void the_specification_example_without_database_url_names_the_variable_the_key_and_the_fix() throws IOException {
        Path file = writeDefaultFile(SPEC_EXAMPLE);
        assertThatThrownBy(() -> load(Map.of("ORCHESTRATOR_SECRET_KEY", "k")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("database.url (" + file + ":16): environment variable DATABASE_URL is not set"
                        + " (referenced as ${DATABASE_URL}); set it, or write ${DATABASE_URL:-} to make it optional"
                        + " or ${DATABASE_URL:-value} for a default");
    }

    @Test
    void an_optional_reference_to_an_unset_variable_means_the_default() throws IOException {
        writeDefaultFile("database:\n  url: ${DATABASE_URL:-}\n");
        LoadedConfig config = load(Map.of());
        assertThat(config.settings().database().embedded()).isTrue();
        assertThat(entry(config, "database.url").source()).isEqualTo(Source.DEFAULT);
    }

    @Test
    void flags_beat_environment_which_beats_the_file_which_beats_defaults() throws IOException {
        Path file = writeDefaultFile("""
                orchestrator:
                  host: file-host
                  port: 1001
                  workers: 3
                queue:
                  max_retries: 7
                """);
        LoadedConfig config = load(
                Map.of("ORCHESTRATOR_PORT", "2002", "ORCHESTRATOR_HOST", "env-host", "ORCHESTRATOR_WORKERS", ""),
                Map.of("orchestrator.port", "3003"));
        assertThat(entry(config, "orchestrator.port")).isEqualTo(new Entry("orchestrator.port", "3003", Source.FLAG, "--port"));
        assertThat(entry(config, "orchestrator.host"))
                .isEqualTo(new Entry("orchestrator.host", "env-host", Source.ENVIRONMENT, "ORCHESTRATOR_HOST"));
        assertThat(entry(config, "orchestrator.workers")).isEqualTo(new Entry("orchestrator.workers", "3", Source.FILE, file + ":4"));
        assertThat(entry(config, "queue.max_retries")).isEqualTo(new Entry("queue.max_retries", "7", Source.FILE, file + ":6"));
        assertThat(entry(config, "queue.retry_delay_seconds"))
                .isEqualTo(new Entry("queue.retry_delay_seconds", "60", Source.DEFAULT, ""));
        assertThat(config.settings().orchestrator().port()).isEqualTo(3003);
    }

    @Test
    void every_key_has_a_generic_variable_and_the_specifications_variable_wins() {
        LoadedConfig config = load(Map.of(
                "CASARE_QUEUE_MAX_RETRIES", "5",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "40",
                "CASARE_LOGGING_LEVEL", "warning",
                "CASARE_ORCHESTRATOR_PORT", "9001",
                "ORCHESTRATOR_PORT", "9002",
                "CASARE_DATABASE_URL", "jdbc:postgresql://db/casare"));
        OrchestratorSettings s = config.settings();
        assertThat(s.queue().maxRetries()).isEqualTo(5);
        assertThat(s.orchestrator().rateLimit().burst()).isEqualTo(40);
        assertThat(s.logging().level()).isEqualTo(Level.WARN);
        assertThat(s.orchestrator().port()).isEqualTo(9002);
        assertThat(entry(config, "orchestrator.port").origin()).isEqualTo("ORCHESTRATOR_PORT");
        assertThat(entry(config, "logging.level").value()).isEqualTo("WARN");
        assertThat(entry(config, "database.url").origin()).isEqualTo("CASARE_DATABASE_URL");
    }

    @Test
    void the_secret_key_comes_from_its_variable_without_any_yaml_file() {
        LoadedConfig config = load(Map.of("ORCHESTRATOR_SECRET_KEY", "only-in-env"));
        assertThat(config.configFile()).isEmpty();
        assertThat(config.settings().orchestrator().secretKey().map(Secret::reveal)).contains("only-in-env");
    }

    @Test
    void public_urls_and_the_data_directory_have_their_variables() {
        LoadedConfig config = load(Map.of(
                "CASARE_API_URL", "https://rpa.example.com",
                "CASARE_WEBHOOK_URL", "https://hooks.example.com/casare",
                "CASARE_DATA_DIR", "state/orchestrator"));
        OrchestratorSettings s = config.settings();
        assertThat(s.publicApiUrl()).contains("https://rpa.example.com");
        assertThat(s.publicWebhookUrl()).contains("https://hooks.example.com/casare");
        assertThat(s.dataDir()).isEqualTo(dir.resolve("state/orchestrator"));
    }

    @Test
    void relative_paths_in_the_file_resolve_against_the_working_directory() throws IOException {
        writeDefaultFile("orchestrator:\n  data_dir: var/data\nlogging:\n  path: logs/orchestrator.log\n");
        OrchestratorSettings s = load(Map.of()).settings();
        assertThat(s.dataDir()).isEqualTo(dir.resolve("var/data"));
        assertThat(s.logging().path()).contains(dir.resolve("logs/orchestrator.log"));
    }

    @Test
    void an_explicit_file_is_read_relative_to_the_working_directory_instead_of_the_default() throws IOException {
        writeDefaultFile("orchestrator:\n  port: 1111\n");
        Files.writeString(dir.resolve("other.yaml"), "orchestrator:\n  port: 2222\n");
        LoadedConfig config = OrchestratorConfig.load(context(Map.of()), Optional.of(Path.of("other.yaml")), Map.of());
        assertThat(config.settings().orchestrator().port()).isEqualTo(2222);
        assertThat(config.configFile()).contains(dir.resolve("other.yaml"));
    }

    @Test
    void an_explicit_file_that_does_not_exist_is_an_error() {
        assertThatThrownBy(() -> OrchestratorConfig.load(context(Map.of()), Optional.of(Path.of("nope.yaml")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration file " + dir.resolve("nope.yaml") + " does not exist");
    }

    @Test
    void port_zero_means_any_free_port_and_is_accepted() {
        assertThat(load(Map.of("ORCHESTRATOR_PORT", "0")).settings().orchestrator().port()).isZero();
    }

    @Test
    void integers_written_as_strings_in_the_file_are_accepted() throws IOException {
        writeDefaultFile("orchestrator:\n  port: \"8080\"\n  workers: '${WORKERS:-2}'\n");
        OrchestratorSettings s = load(Map.of()).settings();
        assertThat(s.orchestrator().port()).isEqualTo(8080);
        assertThat(s.orchestrator().workers()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            CASARE_QUEUE_MAX_RETRIES              | three     | queue.max_retries: expected an integer >= 0, got "three"
            ORCHESTRATOR_PORT                     | 70000     | orchestrator.port: expected an integer between 0 and 65535, got "70000"
            ORCHESTRATOR_PORT                     | http      | orchestrator.port: expected an integer between 0 and 65535, got "http"
            ORCHESTRATOR_WORKERS                  | 0         | orchestrator.workers: expected an integer between 1 and 256, got "0"
            CASARE_DATABASE_POOL_SIZE             | 0         | database.pool_size: expected an integer >= 1, got "0"
            CASARE_DATABASE_MAX_OVERFLOW          | -1        | database.max_overflow: expected an integer >= 0, got "-1"
            CASARE_SCHEDULER_TIMEZONE             | Mars/Base | scheduler.timezone: expected an IANA time zone id such as UTC or Europe/Berlin, got "Mars/Base"
            CASARE_LOGGING_LEVEL                  | LOUD      | logging.level: expected one of TRACE, DEBUG, INFO, WARN, WARNING, ERROR, got "LOUD"
            CASARE_LOGGING_FORMAT                 | xml       | logging.format: expected one of text, json, got "xml"
            CASARE_API_URL                        | localhost | orchestrator.api_url: expected an http:// or https:// URL, got "localhost"
            CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS | 0     | robots.heartbeat_interval_seconds: expected an integer between 1 and 3600, got "0"
            CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS | 2      | robots.heartbeat_timeout_seconds: expected an integer between 3 and 86400, got "2"
            CASARE_ROBOTS_RELEASE_PAUSE_SECONDS   | -1        | robots.release_pause_seconds: expected an integer between 0 and 3600, got "-1"
            CASARE_ROBOTS_RATE_LIMIT_BURST        | 0         | robots.rate_limit.burst: expected an integer >= 1, got "0"
            CASARE_METRICS_ENABLED                | maybe     | metrics.enabled: expected one of true, false, yes, no, on, off, got "maybe"
            CASARE_METRICS_OPEN_TO                | 10.0.0.0/33 | metrics.open_to: expected comma-separated networks in CIDR notation (10.0.0.0/8, ::1/128), or none, got "10.0.0.0/33"
            CASARE_METRICS_OPEN_TO                | 10.0.0.0/8, localhost | metrics.open_to: expected comma-separated networks in CIDR notation (10.0.0.0/8, ::1/128), or none, got "10.0.0.0/8, localhost"
            """)
    void invalid_values_name_the_key_what_was_expected_and_what_was_given(String variable, String value, String message) {
        assertThatThrownBy(() -> load(Map.of(variable, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message + " (from environment variable " + variable + ")");
    }

    @Test
    void redis_is_off_unless_its_url_is_set_and_its_password_is_never_shown() {
        assertThat(load(Map.of()).settings().redis()).isEmpty();
        LoadedConfig config = load(Map.of("REDIS_URL", "redis://:s3cret@cache:6379/2", "CASARE_REDIS_TIMEOUT_MS", "100"));
        OrchestratorSettings.Redis redis = config.settings().redis().orElseThrow();
        assertThat(redis.url().reveal()).isEqualTo("redis://:s3cret@cache:6379/2");
        assertThat(redis.display()).isEqualTo("redis://:****@cache:6379/2");
        assertThat(redis.keyPrefix()).isEqualTo("casare:");
        assertThat(redis.timeout()).isEqualTo(java.time.Duration.ofMillis(100));
        assertThat(entry(config, "redis.url").value()).doesNotContain("s3cret");
        assertThatThrownBy(() -> load(Map.of("REDIS_URL", "http://cache:6379")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("redis.url: expected a redis://");
    }

    @Test
    void metrics_come_from_their_variables_or_the_file_and_none_opens_them_to_no_network() throws IOException {
        LoadedConfig off = load(Map.of("CASARE_METRICS_ENABLED", "false", "CASARE_METRICS_OPEN_TO", "None"));
        assertThat(off.settings().metrics()).isEqualTo(new OrchestratorSettings.Metrics(false, List.of()));
        assertThat(entry(off, "metrics.open_to").value()).isEqualTo("none");

        writeDefaultFile("metrics:\n  open_to: 10.0.0.0/8, fd00::/8, 10.0.0.0/8\n");
        LoadedConfig file = load(Map.of());
        assertThat(file.settings().metrics().openTo()).extracting(NetworkRange::text).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(entry(file, "metrics.open_to").value()).isEqualTo("10.0.0.0/8, fd00::/8");
        assertThat(file.settings().metrics().enabled()).isTrue();
    }

    @Test
    void robot_timings_come_from_the_file_or_their_variables() throws IOException {
        writeDefaultFile("robots:\n  heartbeat_interval_seconds: 2\n  heartbeat_timeout_seconds: 6\n  rate_limit:\n    burst: 50\n");
        OrchestratorSettings.Robots r = load(Map.of("CASARE_ROBOTS_CANCEL_GRACE_SECONDS", "7",
                "CASARE_ROBOTS_KEY_RECHECK_SECONDS", "1")).settings().robots();
        assertThat(r.heartbeatIntervalSeconds()).isEqualTo(2);
        assertThat(r.heartbeatTimeoutSeconds()).isEqualTo(6);
        assertThat(r.cancelGraceSeconds()).isEqualTo(7);
        assertThat(r.keyRecheckSeconds()).isEqualTo(1);
        assertThat(r.messageRate()).isEqualTo(new OrchestratorSettings.MessageRate(200, 50));
    }

    @Test
    void auth_defaults_and_argon2_memory_below_8_kib_per_lane_is_refused() {
        assertThat(load(Map.of()).settings().auth()).isEqualTo(new OrchestratorSettings.Auth(19456, 2, 1, 12, 5, 15, 15, 12, 24, 90));
        assertThatThrownBy(() -> load(Map.of("CASARE_AUTH_ARGON2_MEMORY_KIB", "16", "CASARE_AUTH_ARGON2_PARALLELISM", "4")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth.argon2_memory_kib: must be at least 8 KiB per lane of auth.argon2_parallelism"
                        + " (8 x 4 = 32), got 16");
    }

    @Test
    void a_heartbeat_timeout_shorter_than_three_heartbeats_is_refused_naming_both_keys() throws IOException {
        Path file = writeDefaultFile("robots:\n  heartbeat_timeout_seconds: 20\n");
        assertThatThrownBy(() -> load(Map.of("CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS", "10")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("robots.heartbeat_timeout_seconds: must be at least 3 times robots.heartbeat_interval_seconds"
                        + " (3 x 10 = 30 s), got 20 (from " + file + ":2; robots.heartbeat_interval_seconds 10 from"
                        + " environment variable CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS)");
    }

    @Test
    void a_wrong_value_in_the_file_names_the_file_and_line() throws IOException {
        Path file = writeDefaultFile("queue:\n  max_retries: three\n");
        assertThatThrownBy(() -> load(Map.of()))
                .hasMessage("queue.max_retries: expected an integer >= 0, got \"three\" (from " + file + ":2)");
    }

    @Test
    void unknown_keys_fail_with_their_path_even_when_nested() throws IOException {
        Path file = writeDefaultFile("orchestrator:\n  rate_limit:\n    requests_per_second: 5\n");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("orchestrator.rate_limit.requests_per_second: unknown key (" + file
                        + ":3); the keys of orchestrator.rate_limit are requests_per_minute, burst, feeds_per_caller");
    }

    @Test
    void a_yaml_syntax_error_is_one_line_with_file_and_line() throws IOException {
        Path file = writeDefaultFile("orchestrator:\n  port: 8000\n   workers: 2\n");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + " line 3: invalid YAML: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void secrets_never_appear_in_error_messages() throws IOException {
        assertThatThrownBy(() -> load(Map.of("DATABASE_URL", "mysql://root:hunter2@db/casare")))
                .hasMessage("database.url: expected a postgresql://user:password@host:port/database or jdbc: URL,"
                        + " got a value that is not shown because the key is secret (from environment variable DATABASE_URL)")
                .hasMessageNotContaining("hunter2");
        writeDefaultFile("orchestrator:\n  secret_key: hunter2: more\n");
        assertThatThrownBy(() -> load(Map.of())).hasMessageNotContaining("hunter2");
    }

    @Test
    void single_sign_on_comes_from_its_variables_with_defaults_and_a_masked_secret() {
        LoadedConfig config = load(Map.of("CASARE_OIDC_ISSUER", "https://login.example.com/realms/ops", "CASARE_OIDC_CLIENT_ID",
                "casare", "CASARE_OIDC_CLIENT_SECRET", "s3cret-from-env"));
        OrchestratorSettings.Oidc oidc = config.settings().oidc().orElseThrow();
        assertThat(oidc).isEqualTo(new OrchestratorSettings.Oidc(java.net.URI.create("https://login.example.com/realms/ops"),
                "casare", Optional.of(new Secret("s3cret-from-env")), Optional.empty(), List.of("openid", "profile", "email"),
                "groups", "preferred_username", true, "Single sign-on"));
        assertThat(entry(config, "oidc.client_secret").value()).isEqualTo("****");
        assertThat(config.entries()).noneSatisfy(e -> assertThat(e.value()).contains("s3cret"));
    }

    @Test
    void single_sign_on_keys_from_the_file() throws IOException {
        writeDefaultFile("""
                oidc:
                  issuer: http://127.0.0.1:8080
                  client_id: casare
                  redirect_uri: https://orchestrator.example.com/api/v1/auth/oidc/callback
                  scopes: openid, groups openid
                  groups_claim: realm_access.roles
                  username_claim: email
                  auto_create_users: no
                  display_name: Sign in with Keycloak
                """);
        OrchestratorSettings.Oidc oidc = load(Map.of()).settings().oidc().orElseThrow();
        assertThat(oidc.clientSecret()).as("a public client is allowed with the embedded database").isEmpty();
        assertThat(oidc.redirectUri()).contains(java.net.URI.create("https://orchestrator.example.com/api/v1/auth/oidc/callback"));
        assertThat(oidc.scopes()).containsExactly("openid", "groups");
        assertThat(oidc.groupsClaim()).isEqualTo("realm_access.roles");
        assertThat(oidc.usernameClaim()).isEqualTo("email");
        assertThat(oidc.autoCreateUsers()).isFalse();
        assertThat(oidc.displayName()).isEqualTo("Sign in with Keycloak");
    }

    @Test
    void an_issuer_without_a_client_id_or_scopes_without_openid_are_refused() {
        assertThatThrownBy(() -> load(Map.of("CASARE_OIDC_ISSUER", "https://login.example.com")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("oidc.client_id: required when oidc.issuer is set (from environment variable"
                        + " CASARE_OIDC_ISSUER)");
        assertThatThrownBy(() -> load(Map.of("CASARE_OIDC_ISSUER", "https://login.example.com", "CASARE_OIDC_CLIENT_ID", "c",
                "CASARE_OIDC_SCOPES", "profile email")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("oidc.scopes: expected OAuth scopes separated by spaces or commas, openid among them");
        assertThatThrownBy(() -> load(Map.of("CASARE_OIDC_ISSUER", "https://login.example.com?x=1", "CASARE_OIDC_CLIENT_ID", "c")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("oidc.issuer: an issuer URL has no query or fragment");
    }

    @Test
    void with_postgresql_single_sign_on_needs_a_client_secret_and_an_https_issuer() {
        Map<String, String> production = Map.of("DATABASE_URL", "postgresql://casare:pw@db:5432/casare",
                "CASARE_OIDC_ISSUER", "https://login.example.com", "CASARE_OIDC_CLIENT_ID", "casare");
        assertThatThrownBy(() -> load(production))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("oidc.client_secret is not set; with PostgreSQL (production)");
        java.util.HashMap<String, String> plainHttp = new java.util.HashMap<>(production);
        plainHttp.put("CASARE_OIDC_CLIENT_SECRET", "secret");
        plainHttp.put("CASARE_OIDC_ISSUER", "http://login.example.com");
        assertThatThrownBy(() -> load(plainHttp))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("oidc.issuer: must be an https:// URL with PostgreSQL (production)");
        plainHttp.put("CASARE_OIDC_ISSUER", "http://localhost:8080/realms/dev");
        assertThat(load(plainHttp).settings().oidc()).as("a provider on this machine may be plain http").isPresent();
    }

    @Test
    void tls_files_proxies_and_the_host_header_are_read_from_flags_variables_and_file() throws IOException {
        writeDefaultFile("""
                orchestrator:
                  trusted_proxies: 10.0.0.0/8, ::1
                  client_address_header: x-real-ip
                  trust_host_header: yes
                """);
        OrchestratorSettings s = load(Map.of("ORCHESTRATOR_SSL_CERT", "tls/cert.pem", "ORCHESTRATOR_SSL_KEY", "/etc/tls/key.pem"))
                .settings();
        assertThat(s.ingress()).isEqualTo(new OrchestratorSettings.Ingress(
                Optional.of(new OrchestratorSettings.Tls(dir.resolve("tls/cert.pem"), Path.of("/etc/tls/key.pem"))),
                List.of(NetworkRange.parse("10.0.0.0/8"), NetworkRange.parse("::1")), ClientAddressHeader.X_REAL_IP, true));
    }

    @Test
    void a_certificate_without_its_key_or_an_unknown_header_names_the_key() {
        assertThatThrownBy(() -> load(Map.of("ORCHESTRATOR_SSL_KEY", "key.pem")))
                .hasMessageContaining("orchestrator.ssl_cert: required when orchestrator.ssl_key is set (from environment");
        assertThatThrownBy(() -> load(Map.of("CASARE_ORCHESTRATOR_CLIENT_ADDRESS_HEADER", "True-Client-IP")))
                .hasMessageContaining("orchestrator.client_address_header: expected one of X-Forwarded-For, X-Real-IP, Forwarded");
        assertThatThrownBy(() -> load(Map.of("CASARE_TRUSTED_PROXIES", "proxy.example.com")))
                .hasMessageContaining("orchestrator.trusted_proxies");
    }
}
