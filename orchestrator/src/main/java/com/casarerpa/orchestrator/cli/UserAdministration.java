package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.service.ConflictException;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.service.NotFoundException;
import com.casarerpa.orchestrator.service.PasswordTokens;
import com.casarerpa.orchestrator.service.Users;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the user commands share: the {@link Users} of the configured database, their failures as
 * one readable line each, a user and a one-time token as JSON or text, and a password read from
 * standard input (never from an argument, where other users of the machine and the shell's
 * history would see it).
 */
final class UserAdministration {
    private UserAdministration() {}

    /** The users service and where a person sets a password ({@code api_url} + path, when configured). */
    record Context(Users users, String setPasswordAt) {}

    static <T> T withUsers(CliContext ctx, ConfigOptions config, Function<Context, T> action) {
        return KeyAdministration.withServices(ctx, config, (services, settings) -> {
            String at = settings.publicApiUrl().map(u -> u.replaceAll("/+$", "") + PasswordTokens.SET_PASSWORD_PATH)
                    .orElse(PasswordTokens.SET_PASSWORD_PATH);
            try {
                return action.apply(new Context(services.users(), at));
            } catch (InvalidInputException e) {
                throw new CommandFailure(option(e.field()) + ": " + e.getMessage(), 2, e);
            } catch (NotFoundException e) {
                throw new CommandFailure(e.getMessage() + " (see list-users)", e);
            } catch (ConflictException e) {
                throw new CommandFailure(e.getMessage(), e);
            }
        });
    }

    /** The option a field came from: {@code display_name} is {@code --display-name}, a password {@code --password-stdin}. */
    private static String option(String field) {
        return switch (field) {
            case "username" -> "USERNAME";
            case "password" -> "--password-stdin";
            default -> "--" + field.replace('_', '-');
        };
    }

    /** The first line of standard input, without its line end. */
    static String passwordFromStdin(CliContext ctx) {
        try {
            InputStream in = ctx.in();
            String text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (line.isEmpty()) {
                throw new CommandFailure("--password-stdin: standard input holds no password (pipe it in, e.g."
                        + " from a password manager's CLI)", 2, null);
            }
            return line;
        } catch (IOException e) {
            throw new CommandFailure("--password-stdin: cannot read standard input: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> json(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("username", u.username());
        m.put("email", u.email().orElse(null));
        m.put("display_name", u.displayName());
        m.put("status", u.status().wireName());
        m.put("created_at", u.createdAt());
        m.put("created_by", u.createdBy());
        m.put("last_login_at", u.lastLoginAt().orElse(null));
        m.put("locked_until", u.lockedUntil().orElse(null));
        return m;
    }

    static Map<String, Object> json(PasswordTokens.OneTimeToken t, String setPasswordAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", t.token());
        m.put("expires_at", t.expiresAt());
        m.put("path", PasswordTokens.SET_PASSWORD_PATH);
        m.put("url", setPasswordAt);
        return m;
    }

    /** Prints a one-time token and how to use it; it is never shown again. */
    static void printToken(CliContext ctx, User user, PasswordTokens.OneTimeToken t, String setPasswordAt) {
        ctx.out().println("One-time set-password token for " + user.username() + " (shown only this once, valid until "
                + t.expiresAt() + "):");
        ctx.out().println();
        ctx.out().println("    " + t.token());
        ctx.out().println();
        ctx.out().println("The user sets a password with it: POST " + setPasswordAt
                + " {\"token\": \"<token>\", \"password\": \"<new password>\"}");
    }

    static void print(CliContext ctx, Object json) {
        JsonOutput.print(ctx.out(), json);
    }

    static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }
}
