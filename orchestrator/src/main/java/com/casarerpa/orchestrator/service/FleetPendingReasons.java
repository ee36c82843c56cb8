package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.store.DispatchQueries;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why a pending job waits, knowing the fleet (DESIGN.md §5): a retry delay; no robot online;
 * no online robot that serves its folder (assigned to it or an ancestor); no online robot with its capabilities, environment or node types; every such robot in
 * maintenance; all their slots busy; or nothing (a free robot takes it on its next claim). The
 * rules are the claim's ({@code store/JobClaims}): a robot that did not list node types runs any.
 */
public final class FleetPendingReasons implements PendingReasons {
    /** Node types named in one reason at most: a robot that lists few may miss dozens. */
    static final int MAX_NAMED = 10;

    private final PendingReasons queue;
    private final Robots robots;
    private final DispatchQueries queries;
    private final AccessControl access;

    /** @param access the folder tree, read only when some online robot is assigned to folders */
    public FleetPendingReasons(Robots robots, DispatchQueries queries, AccessControl access, Clock clock) {
        this.queue = PendingReasons.queueOnly(clock);
        this.robots = robots;
        this.queries = queries;
        this.access = access;
    }

    @Override
    public String why(Job pending) {
        String queued = queue.why(pending);
        if (queued.startsWith("retry delay")) {
            return queued;
        }
        List<Robot> online = robots.list().stream().filter(r -> r.status() != Robot.Status.OFFLINE).toList();
        if (online.isEmpty()) {
            return "no robot online";
        }
        List<Robot> serving = online;
        if (online.stream().anyMatch(r -> !r.folders().isEmpty())) {
            String folder = queries.folderOf(pending.id()).orElse(Folder.ROOT_ID);
            FolderTree tree = access.tree();
            serving = online.stream().filter(r -> tree.serves(r.folders(), folder)).toList();
            if (serving.isEmpty()) {
                return "no online robot serves folder " + tree.path(folder) + " (" + online.size()
                        + (online.size() == 1 ? " robot online serves other folders)" : " robots online serve other folders)");
            }
        }
        List<Robot> inEnvironment = serving.stream()
                .filter(r -> pending.environment().isEmpty() || pending.environment().equals(r.environment()))
                .toList();
        if (inEnvironment.isEmpty()) {
            return "no online robot in environment " + pending.environment().orElseThrow();
        }
        List<Robot> able = inEnvironment.stream().filter(r -> r.capabilities().containsAll(pending.requiredCapabilities())).toList();
        if (able.isEmpty()) {
            Set<String> missing = new LinkedHashSet<>(pending.requiredCapabilities());
            inEnvironment.forEach(r -> missing.removeIf(r.capabilities()::contains));
            return missing.isEmpty()
                    ? "no online robot has all of the capabilities " + pending.requiredCapabilities()
                    : "no online robot has capability " + String.join(", ", missing);
        }
        Set<String> needed = queries.nodeTypes(pending.workflowId(), pending.workflowVersion());
        List<Robot> runners = able.stream().filter(r -> r.runs(needed)).toList();
        if (runners.isEmpty()) {
            return unrunnable(needed, able);
        }
        List<Robot> working = runners.stream().filter(r -> !r.maintenance()).toList();
        if (working.isEmpty()) {
            return "every robot that can run it is in maintenance";
        }
        if (working.stream().allMatch(r -> robots.freeSlots(r) == 0)) {
            return "all slots busy on the " + working.size() + " robot(s) that can run it";
        }
        return "waiting for the next claim of a free robot";
    }

    /** Which of the workflow's node types none of these robots runs (each lists the ones it runs). */
    private static String unrunnable(Set<String> needed, List<Robot> robots) {
        Set<String> missing = new TreeSet<>(needed);
        robots.forEach(r -> r.nodeTypes().ifPresent(missing::removeAll));
        if (missing.isEmpty()) {
            return "no online robot runs all of its workflow's node types (each is run by some robot, none runs them all)";
        }
        List<String> named = missing.stream().limit(MAX_NAMED).toList();
        return "no online robot runs node type" + (missing.size() == 1 ? " " : "s ") + String.join(", ", named)
                + (missing.size() > named.size() ? " and " + (missing.size() - named.size()) + " more" : "");
    }
}
