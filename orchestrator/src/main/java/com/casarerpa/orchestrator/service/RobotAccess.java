package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.domain.Role;
import java.util.Optional;

/**
 * Which robots a caller may act as. An admin: any. A robot key bound to a robot id: that robot
 * only. A fleet robot key (bound to none): it may register new robots and then act as the ones
 * it registered. An unknown robot is "not found" for everyone (existing agents read 404 as
 * "not registered yet").
 */
final class RobotAccess {
    private RobotAccess() {}

    /** May {@code actor} register (or re-register) robot {@code id}, which may not exist yet? */
    static void checkRegister(Actor actor, String id, Optional<Robot> existing) {
        if (actor.role() == Role.ADMIN) {
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
        if (existing.isPresent() && !existing.get().registeredBy().equals(Optional.of(actor.id()))) {
            throw new ForbiddenException("robot " + id + " was registered with another key; API key " + actor.id()
                    + " cannot act as it");
        }
    }

    /** May {@code actor} act as the (existing) robot? */
    static void checkActAs(Actor actor, Robot robot) {
        if (actor.role() == Role.ADMIN) {
            return;
        }
        requireRobotRole(actor);
        boolean bound = actor.robotId().map(robot.id()::equals).orElse(false);
        boolean registeredIt = actor.robotId().isEmpty() && robot.registeredBy().equals(Optional.of(actor.id()));
        if (!bound && !registeredIt) {
            throw new ForbiddenException("API key " + actor.id() + " cannot act as robot " + robot.id());
        }
    }

    private static void requireRobotRole(Actor actor) {
        if (actor.role() != Role.ROBOT) {
            throw new ForbiddenException("only robot keys (and admins) speak for robots");
        }
    }
}
