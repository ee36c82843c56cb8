package com.casarerpa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files of the repository root, run as far as a machine without a container engine
 * can: the image's entrypoint and command on the files the Dockerfile puts in the image, with its
 * ENV and the compose file's environment, against a real PostgreSQL; Railway's start command from
 * the repository root as nixpacks builds it; the compose file read against the specification's.
 */
class DeploymentIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Path ROOT = LauncherProcess.ROOT;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String LISTENING = "listening on http://[^ ]+:(\\d+) ";

    @TempDir
    Path tmp;

    @Test
    void the_image_entrypoint_and_command_serve_on_postgresql_with_the_compose_files_environment() throws Exception {
        DockerfileInstructions image = DockerfileInstructions.read(ROOT.resolve("Dockerfile")).finalStage();
        Path fs = layOutImage(image);
        int port = ReleaseArchive.freePort();

        Map<String, String> env = new HashMap<>();
        image.env().forEach((name, value) -> env.put(name, value.startsWith("/") ? fs + value : value));
        env.putAll(composeEnvironment("orchestrator"));
        // Here: a new, empty database of the test server instead of the compose file's "db" (as
        // postgres:15 creates it from POSTGRES_DB), a free port instead of 8000 on a shared
        // machine, and a small pool on a PostgreSQL that the rest of the suite uses too. No
        // secret key, as in the spec's file: the first start initialises the database and
        // generates the signing key into it.
        String database = TestPostgres.createDatabase();
        env.put("DATABASE_URL", TestPostgres.url(database));
        env.put("ORCHESTRATOR_PORT", Integer.toString(port));
        env.put("CASARE_DATABASE_POOL_SIZE", "2");
        env.put("CASARE_DATABASE_MAX_OVERFLOW", "2");
        env.remove("ORCHESTRATOR_SECRET_KEY");
        Map<String, String> machine = ReleaseArchive.machine(fs.resolve("usr/local/bin") + ":" + ReleaseArchive.tools(tmp.resolve("tools")),
                env);

        List<String> entrypoint = inImage(fs, image.execForm("ENTRYPOINT"));
        Path workDir = fs.resolve(image.all("WORKDIR").get(0).arguments().substring(1));
        try (LauncherProcess server = LauncherProcess.command(workDir, machine, with(entrypoint, image.execForm("CMD")))) {
            assertThat(server.awaitLine(LISTENING, START)).isEqualTo(Integer.toString(port));
            assertThat(server.output()).contains("listening on http://0.0.0.0:" + port).contains("the database was empty: initialised it")
                    .contains("ORCHESTRATOR_SECRET_KEY");

            JsonNode health = Json.mapper().readTree(get("http://127.0.0.1:" + port + "/health", 200));
            assertThat(health.get("database").asText()).isEqualTo("connected");
            List<String> healthcheck = inImage(fs, image.execForm("HEALTHCHECK"));
            try (LauncherProcess check = LauncherProcess.command(workDir, machine, healthcheck.toArray(String[]::new))) {
                assertThat(check.waitFor(START)).as(check.output()).isZero();
            }
            Map<String, String> elsewhere = new HashMap<>(machine);
            elsewhere.put("ORCHESTRATOR_PORT", Integer.toString(ReleaseArchive.freePort()));
            try (LauncherProcess check = LauncherProcess.command(workDir, elsewhere, healthcheck.toArray(String[]::new))) {
                assertThat(check.waitFor(START)).as("nothing serves there").isNotZero();
            }
            // Railway's startCommand, when it replaces only the image's CMD.
            try (LauncherProcess version = LauncherProcess.command(workDir, machine, with(entrypoint, "casare-rpa", "--version"))) {
                assertThat(version.waitFor(START)).as(version.output()).isZero();
                assertThat(version.output()).contains("casare-rpa " + ReleaseArchive.VERSION);
            }
            assertThat(server.terminate(Duration.ofSeconds(60))).as(server.output()).isIn(0, 143);
            assertThat(server.output()).contains("orchestrator stopped");
        }
    }

    /**
     * Railway with {@code builder = "nixpacks"}: the image is the repository at /app with a JDK and
     * Maven, nixpacks.toml's variables and paths, and PORT set by Railway; the start command runs
     * in a shell from /app.
     */
    @Test
    void railway_start_command_runs_from_the_repository_root_as_nixpacks_builds_it() throws Exception {
        String railway = Files.readString(ROOT.resolve("railway.toml"));
        String nixpacks = Files.readString(ROOT.resolve("nixpacks.toml"));
        String startCommand = tomlString(railway, "startCommand");
        assertThat(startCommand).isEqualTo("casare-rpa orchestrator start");
        assertThat(tomlString(nixpacks, "cmd")).as("nixpacks' own start command").isEqualTo(startCommand);
        assertThat(tomlString(railway, "builder")).isEqualTo("nixpacks");
        assertThat(nixpacks).contains("paths = ['/app']");

        int port = ReleaseArchive.freePort();
        Map<String, String> env = new HashMap<>(tomlTable(nixpacks, "variables"));
        env.put("PATH", ROOT + ":" + ReleaseArchive.JAVA_HOME.resolve("bin") + ":/usr/bin:/bin");
        env.put("JAVA_HOME", "");
        env.put("PORT", Integer.toString(port));
        env.put("CASARE_DATA_DIR", tmp.resolve("data").toString());
        try (LauncherProcess server = LauncherProcess.command(ROOT, env, "bash", "-c", startCommand)) {
            // Minutes, not seconds, when the sources are newer than the jar: ./casare-rpa builds first.
            assertThat(server.awaitLine(LISTENING, Duration.ofMinutes(5))).isEqualTo(Integer.toString(port));
            assertThat(server.output()).contains("listening on http://0.0.0.0:" + port);
            get("http://127.0.0.1:" + port + tomlString(railway, "healthcheckPath"), 200);
            assertThat(server.terminate(Duration.ofSeconds(60))).as(server.output()).isIn(0, 143);
        }
    }

    @Test
    void the_compose_file_is_the_specs_and_the_dockerfile_uses_files_that_exist() throws Exception {
        JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        assertThat(compose.get("version").asText()).isEqualTo("3.8");
        assertThat(compose.get("services").fieldNames()).toIterable().containsExactly("orchestrator", "db");
        JsonNode orchestrator = compose.at("/services/orchestrator");
        assertThat(orchestrator.get("image").asText()).isEqualTo("casare-rpa/orchestrator:latest");
        assertThat(orchestrator.get("build").asText()).as("built from this directory when missing").isEqualTo(".");
        assertThat(texts(orchestrator.get("ports"))).containsExactly("8000:8000");
        assertThat(texts(orchestrator.get("environment"))).containsExactly(
                "DATABASE_URL=postgresql://postgres:password@db:5432/casare", "ORCHESTRATOR_HOST=0.0.0.0",
                "ORCHESTRATOR_PORT=8000", "ORCHESTRATOR_WORKERS=4");
        assertThat(texts(orchestrator.get("depends_on"))).containsExactly("db");
        assertThat(orchestrator.get("restart").asText()).isEqualTo("unless-stopped");
        JsonNode db = compose.at("/services/db");
        assertThat(db.get("image").asText()).isEqualTo("postgres:15");
        assertThat(texts(db.get("volumes"))).containsExactly("postgres_data:/var/lib/postgresql/data");
        assertThat(texts(db.get("environment"))).containsExactly("POSTGRES_DB=casare", "POSTGRES_USER=postgres", "POSTGRES_PASSWORD=password");
        assertThat(compose.get("volumes").has("postgres_data")).isTrue();

        DockerfileInstructions dockerfile = DockerfileInstructions.read(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile.all("FROM")).extracting(DockerfileInstructions.Instruction::arguments)
                .as("multi-stage: a Maven build, then a Java 21 runtime")
                .containsExactly("maven:3.9-eclipse-temurin-21 AS build", "eclipse-temurin:21-jre");
        DockerfileInstructions image = dockerfile.finalStage();
        assertThat(image.all("USER").get(0).arguments()).doesNotStartWith("root").doesNotStartWith("0");
        assertThat(image.all("EXPOSE").get(0).arguments()).isEqualTo("8000");
        assertThat(image.env()).containsEntry("ORCHESTRATOR_HOST", "0.0.0.0").containsEntry("CASARE_DATA_DIR", "/var/lib/casare-rpa");
        assertThat(image.env().get("JAVA_OPTS")).contains("-XX:MaxRAMPercentage=");
        assertThat(image.all("VOLUME").get(0).arguments()).isEqualTo(image.env().get("CASARE_DATA_DIR"));
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        for (DockerfileInstructions.Copy copy : dockerfile.copies()) {
            if (copy.fromStage() || copy.sources().equals(List.of("."))) {
                continue;
            }
            for (String source : copy.sources()) {
                assertThat(ROOT.resolve(source)).as(copy.toString()).exists();
                assertThat(ignored).as(source + " is in the build context").doesNotContain(source.split("/")[0]);
            }
        }
        for (String keyword : List.of("ENTRYPOINT", "HEALTHCHECK")) {
            String script = image.execForm(keyword).get(0);
            assertThat(script).startsWith("/opt/casare-rpa/bin/");
            assertThat(ROOT.resolve("deploy/docker").resolve(Path.of(script).getFileName())).as(keyword).isExecutable();
        }

        // The application reads the compose file's variables as the spec means them.
        Map<String, String> env = new HashMap<>(image.env());
        env.putAll(composeEnvironment("orchestrator"));
        env.put("CASARE_DATA_DIR", tmp.resolve("data").toString());
        try (LauncherProcess config = LauncherProcess.jar(tmp, env, "orchestrator", "config", "--json")) {
            assertThat(config.waitFor(START)).as(config.output()).isZero();
            JsonNode settings = Json.mapper().readTree(String.join("\n", config.stdout())).get("settings");
            assertThat(settings.at("/database.url/value").asText()).contains("@db:5432/casare").doesNotContain("password");
            assertThat(settings.at("/orchestrator.host/value").asText()).isEqualTo("0.0.0.0");
            assertThat(settings.at("/orchestrator.port/value").asText()).isEqualTo("8000");
            assertThat(settings.at("/orchestrator.workers/value").asText()).isEqualTo("4");
        }
    }

    /**
     * The image's file system under {@code tmp/image}: the release archive at /opt/casare-rpa (what
     * the build stage unpacks), the files the final stage's COPY lines add, the link in
     * /usr/local/bin and the data directory.
     */
    private Path layOutImage(DockerfileInstructions image) throws Exception {
        Path fs = tmp.resolve("image");
        Path opt = Files.createDirectories(fs.resolve("opt"));
        Files.move(ReleaseArchive.unpack(tmp.resolve("unpacked")), opt.resolve("casare-rpa"));
        for (DockerfileInstructions.Copy copy : image.copies()) {
            if (copy.fromStage()) {
                continue;
            }
            Path target = fs.resolve(copy.target().substring(1));
            for (String source : copy.sources()) {
                Files.copy(ROOT.resolve(source), target.resolve(Path.of(source).getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        assertThat(image.all("RUN")).extracting(DockerfileInstructions.Instruction::arguments)
                .contains("ln -s /opt/casare-rpa/bin/casare-rpa /usr/local/bin/casare-rpa");
        Path bin = Files.createDirectories(fs.resolve("usr/local/bin"));
        Files.createSymbolicLink(bin.resolve("casare-rpa"), opt.resolve("casare-rpa/bin/casare-rpa"));
        Files.createDirectories(fs.resolve("var/lib/casare-rpa"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return fs;
    }

    /** An exec form with its absolute paths moved into {@code fs}. */
    private static List<String> inImage(Path fs, List<String> command) {
        return command.stream().map(word -> word.startsWith("/") ? fs + word : word).toList();
    }

    private static String[] with(List<String> first, List<String> rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    private static String[] with(List<String> first, String... rest) {
        return with(first, List.of(rest));
    }

    private static Map<String, String> composeEnvironment(String service) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String pair : texts(YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).at("/services/" + service + "/environment"))) {
            int eq = pair.indexOf('=');
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    private static List<String> texts(JsonNode list) {
        List<String> texts = new ArrayList<>();
        list.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    /** The first {@code key = "value"} (or single quotes) of a TOML file. */
    private static String tomlString(String toml, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "\\s*=\\s*[\"']([^\"']*)[\"']\\s*$").matcher(toml);
        assertThat(m.find()).as(key + " in\n" + toml).isTrue();
        return m.group(1);
    }

    /** The {@code KEY = 'value'} lines of one TOML table. */
    private static Map<String, String> tomlTable(String toml, String table) {
        Map<String, String> values = new HashMap<>();
        String body = toml.substring(toml.indexOf("[" + table + "]") + table.length() + 2);
        int next = body.indexOf("\n[");
        Matcher m = Pattern.compile("(?m)^(\\w+)\\s*=\\s*'([^']*)'\\s*$").matcher(next < 0 ? body : body.substring(0, next));
        while (m.find()) {
            values.put(m.group(1), m.group(2));
        }
        assertThat(values).as("[" + table + "]").isNotEmpty();
        return values;
    }

    private static String get(String url, int status) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(status);
        return r.body();
    }
}
