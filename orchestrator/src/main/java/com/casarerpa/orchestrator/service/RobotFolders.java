package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.domain.RobotFilter;
import com.casarerpa.orchestrator.store.RobotStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Robots and folders: which folders a robot is assigned to (it runs the jobs of those folders
 * and of every folder below them; a robot assigned to none serves the root, every folder), and
 * who may see and change which robot. A caller sees a robot that serves some folder where it
 * holds {@code robot.read}; one it cannot see is "not found". Changing a robot (maintenance,
 * delete) takes the permission in every folder the robot is assigned to, so a team cannot stop
 * a robot it shares with others; assigning takes {@code robot.manage} (an installation permission).
 */
public final class RobotFolders {
    private final RobotStore store;
    private final AccessControl access;
    private final AuditTrail audit;
    private final JobSignals signals;

    /** @param signals told after an assignment: a robot may now claim jobs it could not before */
    public RobotFolders(RobotStore store, AccessControl access, AuditTrail audit, JobSignals signals) {
        this.store = store;
        this.access = access;
        this.audit = audit;
        this.signals = signals;
    }

    /** The folder tree as it is now, to show many robots' folders with one read. */
    public FolderTree tree() {
        return access.tree();
    }

    /** The robots among {@code robots} that the caller may see. */
    public List<Robot> visible(List<Robot> robots, Actor actor, FolderTree tree) {
        Optional<Set<String>> readable = actor.grants().foldersWith(Permission.ROBOT_READ);
        if (readable.isEmpty()) {
            return robots;
        }
        return robots.stream().filter(r -> readable.get().stream().anyMatch(f -> tree.serves(r.folders(), f))).toList();
    }

    /**
     * {@code filter} narrowed to the robots the caller may see (those serving a folder where it
     * reads robots) and, when {@code only} is given, to those serving that folder: the same
     * robots as {@link #visible(List, Actor, FolderTree)} and {@link FolderTree#serves}, in SQL.
     */
    public RobotFilter visible(RobotFilter filter, Optional<Folder> only, Actor actor, FolderTree tree) {
        RobotFilter out = filter;
        Optional<Set<String>> readable = actor.grants().foldersWith(Permission.ROBOT_READ);
        if (readable.isPresent()) {
            out = out.serving(readable.get().stream().flatMap(f -> tree.selfAndAncestors(f).stream()).collect(Collectors.toSet()));
        }
        if (only.isPresent()) {
            out = out.serving(Set.copyOf(tree.selfAndAncestors(only.get().id())));
        }
        return out;
    }

    /** The robot, if the caller may see it; "not found" otherwise, as for a robot that does not exist. */
    public Robot requireVisible(Robot robot, Actor actor, FolderTree tree) {
        if (visible(List.of(robot), actor, tree).isEmpty()) {
            throw new NotFoundException("robot " + robot.id() + " is not registered");
        }
        return robot;
    }

    /**
     * Checks that the caller may see the robot (404) and holds {@code permission} in every folder
     * it is assigned to, the root for a robot assigned to none (403).
     */
    public void requireOn(Robot robot, Permission permission, Actor actor) {
        FolderTree tree = tree();
        requireVisible(robot, actor, tree);
        for (String folder : robot.homeFolders()) {
            if (!actor.may(permission, folder)) {
                throw new ForbiddenException(permission.wireName() + " is needed in folder " + tree.path(folder)
                        + " for robot " + robot.id() + " (it serves that folder)", FolderAccess.lacking(permission, folder, tree.path(folder)));
            }
        }
    }

    /**
     * Assigns the robot to these folders (ids or paths), replacing its assignment; the root among
     * them makes it serve every folder. The next claim of the robot, on any transport and any
     * instance, follows it.
     */
    public Robot assign(Robot robot, List<String> references, Actor actor) {
        FolderTree tree = tree();
        List<String> folders = FolderReferences.resolve(tree, references, "folders");
        audit.atomically(() -> {
            store.assignFolders(robot.id(), folders);
            audit.record(actor, "robot.assign_folders", "robot", robot.id(), Map.of("folders", folders,
                    "before", robot.folders()));
        });
        signals.jobsAvailable();
        return robot.withFolders(folders.stream().sorted().toList());
    }
}
