package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Robot;
import java.util.Optional;

/**
 * Which robots a caller may act as, on every transport. An admin: any. A robot key bound to a
 * robot id: that robot only, whoever registered it. A fleet robot key (bound to none): the robots
 * it registered, as long as no key is bound to them; a key bound to a robot id takes that id from
 * fleet keys for good, from the moment it is created (revoking it does not give the id back). An
 * unknown robot is "not found" for everyone (existing agents read 404 as "not registered yet").
 *
 * <p>{@code claimedByBoundKey} says whether a key is (or was) bound to the robot id; callers
 * look it up only for fleet keys ({@link #isFleetKey}), the one case where it matters.
 */
final class RobotAccess {
    private RobotAccess() {}

    /** A robot key bound to no robot. */
    static boolean isFleetKey(Actor actor) {
        return actor.robot() && actor.robotId().isEmpty();
    }

    /** May {@code actor} register (or re-register) robot {@code id}, which may not exist yet? */
    static void checkRegister(Actor actor, String id, Optional<Robot> existing, boolean claimedByBoundKey) {
        if (actor.isAdmin()) {
            return;
        }
        requireRobotRole(actor);
        if (actor.robotId().isPresent()) {
            if (!actor.robotId().get().equals(id)) {
                throw new ForbiddenException("API key " + actor.id() + " is bound to robot " + actor.robotId().get()
                        + " and cannot register robot " + id);
            }
            return;
        }
        if (claimedByBoundKey) {
            throw claimed(actor, id);
        }
        if (existing.isPresent() && !existing.get().registeredBy().equals(Optional.of(actor.id()))) {
            throw new ForbiddenException("robot " + id + " was registered with another key; API key " + actor.id()
                    + " cannot act as it");
        }
    }

    /** May {@code actor} act as the (existing) robot? */
    static void checkActAs(Actor actor, Robot robot, boolean claimedByBoundKey) {
        if (!mayActAs(actor, robot, claimedByBoundKey)) {
            requireRobotRole(actor);
            throw claimedByBoundKey && isFleetKey(actor) ? claimed(actor, robot.id())
                    : new ForbiddenException("API key " + actor.id() + " cannot act as robot " + robot.id());
        }
    }

    static boolean mayActAs(Actor actor, Robot robot, boolean claimedByBoundKey) {
        if (actor.isAdmin()) {
            return true;
        }
        if (!actor.robot()) {
            return false;
        }
        if (actor.robotId().isPresent()) {
            return actor.robotId().get().equals(robot.id());
        }
        return !claimedByBoundKey && robot.registeredBy().equals(Optional.of(actor.id()));
    }

    /** The refusal of a fleet key acting as a robot id a key is bound to. */
    static ForbiddenException claimed(Actor actor, String id) {
        return new ForbiddenException("robot " + id + " belongs to the API key bound to it (create-api-key --robot-id "
                + id + "); fleet key " + actor.id() + " may no longer act as it. Give the robot that key, or register"
                + " this robot under another id");
    }

    private static void requireRobotRole(Actor actor) {
        if (!actor.robot()) {
            throw new ForbiddenException("only robot keys (and admins) speak for robots");
        }
    }
}
