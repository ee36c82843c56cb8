package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/access.md shows the built-in roles' permissions as the table {@link #table()} makes from
 * {@link RoleDefinition}, so the doc and the code cannot drift apart: when a role or a permission
 * changes, this test fails and prints the table to paste.
 */
class AccessDocsTest {
    @Test
    void the_table_of_built_in_roles_is_the_one_role_definition_makes() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "access.md"));
        String table = table();
        assertThat(docs).as("docs/access.md should hold this table, as it is:%n%n%s", table).contains(table);
    }

    @Test
    void every_permission_is_explained() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "access.md"));
        for (Permission p : Permission.values()) {
            assertThat(docs).as(p.wireName()).containsPattern("\\| `" + java.util.regex.Pattern.quote(p.wireName()) + "` \\| "
                    + (p.folderScoped() ? "folder" : "installation") + " \\|");
        }
    }

    /** One row per permission, one column per built-in role, ✓ where the role holds it. */
    static String table() {
        List<RoleDefinition> roles = RoleDefinition.builtInRoles();
        StringBuilder sb = new StringBuilder("| Permission | " + roles.stream().map(r -> "`" + r.name() + "`")
                .collect(Collectors.joining(" | ")) + " |\n");
        sb.append("|---|").append(roles.stream().map(r -> ":---:|").collect(Collectors.joining())).append('\n');
        for (Permission p : Permission.values()) {
            sb.append("| `").append(p.wireName()).append("` |");
            roles.forEach(r -> sb.append(r.permissions().contains(p) ? " ✓ |" : "   |"));
            sb.append('\n');
        }
        return sb.toString();
    }
}
