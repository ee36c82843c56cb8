package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.events.Change;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which changes one live feed carries: those of {@code kinds}, of folder {@code folder} only
 * when set, of job {@code job} only when set; and always only what its caller may read there:
 * jobs and their logs where it holds {@code job.read}, schedules where it holds
 * {@code schedule.read}, robots serving a folder where it holds {@code robot.read} (as the robot
 * listing shows them).
 */
public record FeedFilter(Set<Change.Kind> kinds, Optional<String> folder, Optional<String> job) {
    /** What a feed carries when the request names no kinds. */
    public static final Set<Change.Kind> DEFAULT_KINDS = Set.copyOf(EnumSet.of(Change.Kind.JOB, Change.Kind.ROBOT,
            Change.Kind.SCHEDULE));
    /** What a feed of one job carries when the request names no kinds. */
    public static final Set<Change.Kind> JOB_KINDS = Set.copyOf(EnumSet.of(Change.Kind.JOB, Change.Kind.LOG));

    public FeedFilter {
        kinds = Set.copyOf(kinds);
    }

    /** True when {@code actor} gets change {@code p}; {@code tree}: the folder tree, for robots. */
    public boolean admits(Actor actor, ChangeFolders.Placed p, FolderTree tree) {
        Change c = p.change();
        if (!kinds.contains(c.kind())) {
            return false;
        }
        if (job.isPresent() && !((c.kind() == Change.Kind.JOB || c.kind() == Change.Kind.LOG) && c.subject().equals(job.get()))) {
            return false;
        }
        return switch (c.kind()) {
            case JOB, LOG -> inFolder(actor, Permission.JOB_READ, p.folder());
            case SCHEDULE -> inFolder(actor, Permission.SCHEDULE_READ, p.folder());
            case ROBOT -> robotVisible(actor, p, tree);
        };
    }

    private boolean inFolder(Actor actor, Permission read, Optional<String> at) {
        if (at.isEmpty()) {
            // A job deleted before its folder was read: only for those who read jobs everywhere.
            return folder.isEmpty() && actor.grants().allowsEverywhere(read);
        }
        return folder.map(at.get()::equals).orElse(true) && actor.may(read, at.get());
    }

    private boolean robotVisible(Actor actor, ChangeFolders.Placed p, FolderTree tree) {
        if (folder.isPresent() && !tree.serves(p.robotFolders(), folder.get())) {
            return false;
        }
        Optional<Set<String>> readable = actor.grants().foldersWith(Permission.ROBOT_READ);
        return readable.isEmpty() || readable.get().stream().anyMatch(f -> tree.serves(p.robotFolders(), f));
    }
}
