package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.service.PasswordTokens;
import com.casarerpa.protocol.rest.UserBodies;

/** A user as the API shows it ({@link UserBodies}): never a password or its hash. */
final class UserView {
    private UserView() {}

    static UserBodies.User of(User u) {
        return new UserBodies.User(u.id(), u.username(), u.email().orElse(null), u.displayName(), u.status().wireName(),
                u.createdAt(), u.createdBy(), u.updatedAt(), u.lastLoginAt().orElse(null), u.lockedUntil().orElse(null));
    }

    static UserBodies.SetPasswordToken of(PasswordTokens.OneTimeToken t) {
        return new UserBodies.SetPasswordToken(t.token(), t.expiresAt(), PasswordTokens.SET_PASSWORD_PATH);
    }
}
