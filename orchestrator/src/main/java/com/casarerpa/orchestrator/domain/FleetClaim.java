package com.casarerpa.orchestrator.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One claim for robots that offer the same (capabilities, environment, node types), made at
 * once: {@code slots} names one robot per free slot, in the order jobs are handed out (the first
 * slot gets the highest-priority, oldest job), so a robot never gets more jobs than it is listed
 * for. {@code nodeTypes}: the workflow node types they run; empty means any.
 * {@code connections}: robot id to the WebSocket connection it claims through; a listed robot's
 * slots count only while that is still the robot's current connection (as for a single claim),
 * robots not listed are not checked. {@code folders}: the folders the robots are assigned to (all
 * of them the same); only jobs of those folders and the folders below them are claimed; empty:
 * the root, every folder.
 *
 * @param slots  one robot id per job wanted
 * @param tokens the lease token each slot's job gets (same size as {@code slots}): chosen by the
 *               caller, so a claim whose answer was lost can be found again
 */
public record FleetClaim(Set<String> capabilities, Optional<String> environment, Optional<Set<String>> nodeTypes,
        List<String> slots, int leaseSeconds, Map<String, String> connections, List<String> tokens, Set<String> folders) {

    public FleetClaim {
        slots = List.copyOf(slots);
        tokens = List.copyOf(tokens);
        folders = Set.copyOf(folders);
        if (tokens.size() != slots.size()) {
            throw new IllegalArgumentException(tokens.size() + " lease tokens for " + slots.size() + " slots");
        }
    }

    /** For robots of every folder. */
    public FleetClaim(Set<String> capabilities, Optional<String> environment, Optional<Set<String>> nodeTypes,
            List<String> slots, int leaseSeconds, Map<String, String> connections, List<String> tokens) {
        this(capabilities, environment, nodeTypes, slots, leaseSeconds, connections, tokens, Set.of());
    }

    /** The same claim for robots assigned to {@code assigned} (empty: the root). */
    public FleetClaim inFolders(Set<String> assigned) {
        return new FleetClaim(capabilities, environment, nodeTypes, slots, leaseSeconds, connections, tokens, assigned);
    }

    /** With fresh lease tokens. */
    public FleetClaim(Set<String> capabilities, Optional<String> environment, Optional<Set<String>> nodeTypes,
            List<String> slots, int leaseSeconds, Map<String, String> connections) {
        this(capabilities, environment, nodeTypes, slots, leaseSeconds, connections, newTokens(slots.size()));
    }

    /** With fresh lease tokens, no connection checked. */
    public FleetClaim(Set<String> capabilities, Optional<String> environment, Optional<Set<String>> nodeTypes,
            List<String> slots, int leaseSeconds) {
        this(capabilities, environment, nodeTypes, slots, leaseSeconds, Map.of());
    }

    /** {@code n} fresh lease tokens. */
    public static List<String> newTokens(int n) {
        List<String> tokens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tokens.add(UUID.randomUUID().toString());
        }
        return tokens;
    }
}
