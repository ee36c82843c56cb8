package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseUrlTest {
    private static final String SECRET = "s3cr3t-Pa55";

    static Stream<Arguments> valid_urls() {
        return Stream.of(
                Arguments.of("postgresql://casare:" + SECRET + "@db.example.com:6432/casare",
                        "jdbc:postgresql://db.example.com:6432/casare", "casare", SECRET,
                        "postgresql://casare:****@db.example.com:6432/casare", "db.example.com:6432"),
                Arguments.of("postgres://casare:" + SECRET + "@localhost/casare",
                        "jdbc:postgresql://localhost:5432/casare", "casare", SECRET,
                        "postgres://casare:****@localhost:5432/casare", "localhost:5432"),
                Arguments.of("postgresql://us%40er:p%40ss%2Fw%3Ard+x@host:5432/db",
                        "jdbc:postgresql://host:5432/db", "us@er", "p@ss/w:rd+x",
                        "postgresql://us%40er:****@host:5432/db", "host:5432"),
                Arguments.of("postgresql://u:p@ss@host/db", "jdbc:postgresql://host:5432/db", "u", "p@ss",
                        "postgresql://u:****@host:5432/db", "host:5432"),
                Arguments.of("postgresql://casare:pw@pg:5432/casare?sslmode=require&application_name=orch",
                        "jdbc:postgresql://pg:5432/casare?sslmode=require&ApplicationName=orch", "casare", "pw",
                        "postgresql://casare:****@pg:5432/casare?sslmode=require&ApplicationName=orch", "pg:5432"),
                Arguments.of("postgresql://casare@pg/casare", "jdbc:postgresql://pg:5432/casare", "casare", null,
                        "postgresql://casare@pg:5432/casare", "pg:5432"),
                Arguments.of("postgresql://pg1:5432,pg2:5433/casare?user=u&password=pw",
                        "jdbc:postgresql://pg1:5432,pg2:5433/casare", "u", "pw",
                        "postgresql://u:****@pg1:5432,pg2:5433/casare", "pg1:5432,pg2:5433"),
                Arguments.of("postgresql://u:pw@[::1]:5433/db", "jdbc:postgresql://[::1]:5433/db", "u", "pw",
                        "postgresql://u:****@[::1]:5433/db", "[::1]:5433"),
                Arguments.of("jdbc:postgresql://pg:5433/casare?user=casare&password=" + SECRET + "&sslmode=verify-full",
                        "jdbc:postgresql://pg:5433/casare?sslmode=verify-full", "casare", SECRET,
                        "jdbc:postgresql://pg:5433/casare?sslmode=verify-full&user=casare&password=****", "pg:5433"),
                Arguments.of("jdbc:postgresql://pg/casare", "jdbc:postgresql://pg/casare", null, null,
                        "jdbc:postgresql://pg/casare", "pg:5432"),
                Arguments.of("jdbc:h2:mem:test;MODE=PostgreSQL", "jdbc:h2:mem:test;MODE=PostgreSQL", "sa", null,
                        "jdbc:h2:mem:test;MODE=PostgreSQL", "mem:test"),
                Arguments.of("jdbc:h2:file:/tmp/x;USER=admin;PASSWORD=" + SECRET, "jdbc:h2:file:/tmp/x", "admin", SECRET,
                        "jdbc:h2:file:/tmp/x;USER=admin;PASSWORD=****", "file:/tmp/x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void valid_urls(String raw, String jdbc, String user, String password, String display, String endpoint) {
        DatabaseUrl url = DatabaseUrl.parse(raw);

        assertThat(url.jdbcUrl()).isEqualTo(jdbc);
        assertThat(url.user().orElse(null)).isEqualTo(user);
        assertThat(url.password().map(p -> p.reveal()).orElse(null)).isEqualTo(password);
        assertThat(url.display()).isEqualTo(display);
        assertThat(url.toString()).isEqualTo(display);
        assertThat(url.endpoint()).isEqualTo(endpoint);
        if (password != null) {
            assertThat(url.jdbcUrl()).doesNotContain(password);
            assertThat(url.display()).doesNotContain(password);
        }
    }

    @Test
    void postgres_urls_have_the_postgresql_dialect_and_database_name() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:pw@h/my%20db");

        assertThat(url.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(url.databaseName()).contains("my db");
        assertThat(url.isEmbedded()).isFalse();
    }

    @Test
    void embedded_url_is_an_h2_file_in_postgresql_mode_shared_by_auto_server(@org.junit.jupiter.api.io.TempDir Path dir) {
        DatabaseUrl url = DatabaseUrl.embedded(dir);

        assertThat(url.dialect()).isEqualTo(Dialect.H2);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:h2:file:" + dir.toAbsolutePath().normalize().resolve("casare")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;TRACE_LEVEL_FILE=0;AUTO_SERVER=TRUE");
        assertThat(url.embeddedDataDir()).contains(dir.toAbsolutePath().normalize());
        assertThat(url.display()).contains("embedded").contains("casare.mv.db");
    }

    static Stream<Arguments> invalid_urls() {
        return Stream.of(
                Arguments.of("", "is empty"),
                Arguments.of("mysql://u:" + SECRET + "@h/db", "unsupported kind of URL \"mysql:\""),
                Arguments.of("just-a-" + SECRET, "unsupported kind of URL"),
                Arguments.of("postgresql://u:" + SECRET + "@h:99999/db", "the port must be a number from 1 to 65535"),
                Arguments.of("postgresql://u:" + SECRET + "@h:abc/db", "the port must be a number"),
                Arguments.of("postgresql://u:" + SECRET + "@h:5432", "the database name is missing"),
                Arguments.of("postgresql://u:" + SECRET + "@/db", "the host is missing"),
                Arguments.of("postgresql://u:ab/" + SECRET + "@h/db", "cannot tell the password from the host"),
                Arguments.of("postgresql://u:%zz" + SECRET + "@h/db", "invalid percent-encoding in the password"),
                Arguments.of("postgresql://u:pw#" + SECRET + "@h/db", "'#'"),
                Arguments.of("jdbc:postgresql://h:notaport/db?password=" + SECRET, "not a valid jdbc:postgresql URL"),
                Arguments.of("jdbc:h2:", "the H2 database name is missing"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource
    void invalid_urls(String raw, String problem) {
        assertThatThrownBy(() -> DatabaseUrl.parse(raw))
                .isInstanceOf(InvalidDatabaseUrlException.class)
                .hasMessageStartingWith("database.url: ")
                .hasMessageContaining(problem)
                .message().doesNotContain(SECRET).doesNotContain("Pa55");
    }
}
