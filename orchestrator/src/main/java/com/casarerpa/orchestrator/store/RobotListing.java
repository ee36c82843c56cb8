package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.domain.RobotFilter;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The fleet a page at a time, by id, keyset-paginated: the cursor is the id of the last robot of
 * a page and the next page starts strictly after it (the primary key's order), so a page of a
 * fleet of 10,000 robots reads its {@code limit} rows, whatever its depth. The filters are
 * conditions on the robot row and its folder assignments; capabilities and tags are matched as
 * whole elements of their JSON arrays.
 */
public final class RobotListing {
    private final Jdbi jdbi;

    public RobotListing(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Why {@code key} is not a cursor of this listing; empty when it is one. */
    public static java.util.Optional<String> problemWithCursor(List<String> key) {
        return key.size() == 1 && Robot.isValidId(key.getFirst()) ? java.util.Optional.empty()
                : java.util.Optional.of("not a cursor of the robot listing; pass next_cursor back unchanged");
    }

    /** @throws IllegalArgumentException when the page's cursor is not one of this listing */
    public Page<Robot> list(RobotFilter filter, PageRequest page) {
        page.after().flatMap(RobotListing::problemWithCursor).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        StringBuilder sql = new StringBuilder("SELECT id FROM robots WHERE 1 = 1");
        List<Consumer<Query>> binds = new ArrayList<>();
        conditions(filter, sql, binds);
        page.after().ifPresent(key -> {
            sql.append(" AND id > :after");
            binds.add(q -> q.bind("after", key.getFirst()));
        });
        sql.append(" ORDER BY id LIMIT :limit");
        return Jdbi3.call("robot listing", () -> jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", page.limit() + 1);
            binds.forEach(b -> b.accept(q));
            Page<String> ids = Page.of(q.mapTo(String.class).list(), page, List::of);
            if (ids.items().isEmpty()) {
                return new Page<Robot>(List.of(), null);
            }
            Map<String, Robot> byId = RobotStore.robots(h.createQuery(RobotStore.WITH_FOLDERS
                            + " WHERE robots.id IN (<ids>) ORDER BY robots.id, f.folder_id").bindList("ids", ids.items()))
                    .stream().collect(Collectors.toMap(Robot::id, Function.identity()));
            return new Page<>(ids.items().stream().map(byId::get).filter(Objects::nonNull).toList(), ids.nextCursor());
        }));
    }

    private static void conditions(RobotFilter filter, StringBuilder sql, List<Consumer<Query>> binds) {
        if (!filter.statuses().isEmpty()) {
            sql.append(" AND (").append(filter.statuses().stream().sorted().map(RobotListing::status)
                    .collect(Collectors.joining(" OR "))).append(')');
        }
        elements("capabilities", "cap", filter.capabilities(), sql, binds);
        elements("tags", "tag", filter.tags(), sql, binds);
        filter.text().ifPresent(text -> {
            sql.append(" AND (LOWER(id) LIKE :text ESCAPE '!' OR LOWER(name) LIKE :text ESCAPE '!'"
                    + " OR LOWER(hostname) LIKE :text ESCAPE '!')");
            binds.add(q -> q.bind("text", "%" + JobConditions.likeEscaped(text.toLowerCase(Locale.ROOT)) + "%"));
        });
        for (int i = 0; i < filter.serving().size(); i++) {
            List<String> folders = filter.serving().get(i).stream().sorted().toList();
            if (folders.isEmpty()) {
                sql.append(" AND 1 = 0");
                continue;
            }
            String name = "serving" + i;
            sql.append(" AND (NOT EXISTS (SELECT 1 FROM robot_folders f WHERE f.robot_id = robots.id)"
                    + " OR EXISTS (SELECT 1 FROM robot_folders f WHERE f.robot_id = robots.id AND f.folder_id IN (<")
                    .append(name).append(">)))");
            binds.add(q -> q.bindList(name, folders));
        }
    }

    /** A status as people see it ({@link Robot#displayStatus()}) as a condition on the row. */
    private static String status(String shown) {
        return switch (shown) {
            case "online" -> "(status = 'online' AND maintenance = FALSE)";
            case "busy" -> "(status = 'busy' AND maintenance = FALSE)";
            case "offline" -> "status = 'offline'";
            case "maintenance" -> "(status <> 'offline' AND maintenance = TRUE)";
            default -> throw new IllegalArgumentException("not a robot status: " + shown);
        };
    }

    /**
     * Each of {@code values} is an element of the JSON array in {@code column}: the array is
     * written compact ({@link JobRows#json}), and a quote inside an element is escaped, so the
     * element's JSON text between {@code [} or {@code ,} and {@code ,} or {@code ]} is that
     * element and nothing else.
     */
    private static void elements(String column, String prefix, java.util.Set<String> values, StringBuilder sql,
            List<Consumer<Query>> binds) {
        int i = 0;
        for (String value : values.stream().sorted().toList()) {
            String element = JobConditions.likeEscaped(JobRows.json(List.of(value)));
            String inner = element.substring(1, element.length() - 1);
            String name = prefix + i++;
            sql.append(" AND (").append(column).append(" LIKE :").append(name).append("a ESCAPE '!' OR ")
                    .append(column).append(" LIKE :").append(name).append("b ESCAPE '!' OR ")
                    .append(column).append(" LIKE :").append(name).append("c ESCAPE '!' OR ")
                    .append(column).append(" LIKE :").append(name).append("d ESCAPE '!')");
            binds.add(q -> q.bind(name + "a", "[" + inner + "]").bind(name + "b", "[" + inner + ",%")
                    .bind(name + "c", "%," + inner + ",%").bind(name + "d", "%," + inner + "]"));
        }
    }
}
