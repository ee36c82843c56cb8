package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The error codes of the REST API are documented alike in docs/rest-api.md's table of errors
 * and in the OpenAPI document's {@code Error.code} (each as status and code), and every code the
 * code throws with a literal status is among them.
 */
class ErrorCodesDocumentedTest {
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| (\\d{3}) \\| `([a-z_0-9]+)` \\|", Pattern.MULTILINE);
    /** In the OpenAPI list: codes, then the status they share ({@code `conflict`, `stale_lease` and `last_admin` (409)}). */
    private static final Pattern CODE_OR_STATUS = Pattern.compile("`([a-z_0-9]+)`|\\((\\d{3})\\)");
    private static final List<Pattern> THROWN = List.of(
            Pattern.compile("(?:super|ApiError)\\((\\d{3}), \"([a-z_0-9]+)\""),
            Pattern.compile("case (\\d{3}) -> \"([a-z_0-9]+)\""),
            Pattern.compile("ConflictException\\(()\"([a-z_0-9]+)\","));

    @Test
    void the_rest_api_table_and_the_openapi_document_name_the_same_codes_and_every_thrown_one() throws IOException {
        Set<String> table = tableOfErrors();
        Set<String> openApi = openApiCodes();

        assertThat(table).as("docs/rest-api.md, Errors").isEqualTo(openApi);
        assertThat(table).contains("403 csrf_failed", "409 last_admin", "502 identity_provider_unavailable");
        assertThat(table).containsAll(thrown());
    }

    private static Set<String> tableOfErrors() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "rest-api.md"));
        String errors = doc.substring(doc.indexOf("\n## Errors"), doc.indexOf("\n## ", doc.indexOf("\n## Errors") + 1));
        Set<String> codes = new TreeSet<>();
        Matcher m = TABLE_ROW.matcher(errors);
        while (m.find()) {
            codes.add(m.group(1) + " " + m.group(2));
        }
        return codes;
    }

    private static Set<String> openApiCodes() {
        String description = OpenApiDocument.load().tree().at("/components/schemas/Error/properties/error/properties/code/description")
                .asText();
        String known = description.substring(description.indexOf("Known:"));
        Set<String> codes = new TreeSet<>();
        List<String> pending = new ArrayList<>();
        Matcher m = CODE_OR_STATUS.matcher(known);
        while (m.find()) {
            if (m.group(1) != null) {
                pending.add(m.group(1));
            } else {
                pending.forEach(code -> codes.add(m.group(2) + " " + code));
                pending.clear();
            }
        }
        assertThat(pending).as("codes without a status in the OpenAPI list").isEmpty();
        return codes;
    }

    /** The codes thrown with a literal status (a ConflictException's are 409). */
    private static Set<String> thrown() throws IOException {
        Set<String> codes = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                String source = read(f);
                for (Pattern p : THROWN) {
                    Matcher m = p.matcher(source);
                    while (m.find()) {
                        codes.add((m.group(1).isEmpty() ? "409" : m.group(1)) + " " + m.group(2));
                    }
                }
            });
        }
        assertThat(codes).as("the scan finds codes").contains("403 csrf_failed", "409 last_admin", "502 identity_provider_unavailable");
        return codes;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
