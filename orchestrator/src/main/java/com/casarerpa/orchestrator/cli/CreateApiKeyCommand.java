package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code create-api-key}: makes a key and prints it once. */
@Command(name = "create-api-key", mixinStandardHelpOptions = true,
        description = "Create an API key and print it (once; only its hash is stored).")
final class CreateApiKeyCommand implements Callable<Integer> {
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([mhdw])");

    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "A name people recognise, e.g. \"Robot Production 1\".")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator, viewer or robot.")
    String role;

    @Option(names = "--expires", paramLabel = "WHEN",
            description = "Expiry: a duration from now (90m, 12h, 30d, 8w), a date (2027-01-31) or an instant (2027-01-31T12:00:00Z). Default: never.")
    String expires;

    @Option(names = "--robot-id", paramLabel = "ID", description = "Bind a robot key to one robot (default: a fleet key that may register robots).")
    String robotId;

    @Option(names = "--folder", paramLabel = "FOLDER",
            description = "For a robot key: a folder (id or path, e.g. Default/Finance) that robots registering with it serve,"
                    + " with every folder below it; repeat for more. Replaces a registering robot's folders. Default: none"
                    + " (robots keep their folders; a robot never assigned serves every folder).")
    List<String> folders = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    CreateApiKeyCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Role parsedRole = Role.fromWire(role).orElseThrow(() ->
                new CommandFailure("--role: expected admin, operator, viewer or robot, got \"" + role + "\"", 2, null));
        Optional<Instant> expiry = Optional.ofNullable(expires).map(CreateApiKeyCommand::parseExpiry);
        ApiKeys.IssuedKey issued = KeyAdministration.withKeys(ctx, config, keys -> {
            try {
                return keys.create(name, parsedRole, expiry, Optional.ofNullable(robotId), folders, Actor.localCli());
            } catch (InvalidInputException e) {
                throw new CommandFailure(option(e.field()) + ": " + e.getMessage(), 2, e);
            }
        });
        ApiKey key = issued.key();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", key.id());
            out.put("name", key.name());
            out.put("role", key.role().wireName());
            out.put("key", issued.plaintext());
            out.put("robot_id", key.robotId().orElse(null));
            out.put("created_at", key.createdAt());
            out.put("expires_at", key.expiresAt().orElse(null));
            out.put("folders", issued.folders());
            JsonOutput.print(ctx.out(), out);
            return 0;
        }
        ctx.out().println("Created API key \"" + key.name() + "\" (" + key.id() + ", role " + key.role().wireName()
                + key.robotId().map(r -> ", robot " + r).orElse("")
                + (issued.folders().isEmpty() ? "" : ", folders " + String.join(", ", issued.folders())) + ", "
                + key.expiresAt().map(t -> "expires " + t).orElse("never expires") + ").");
        ctx.out().println("The key is shown only this once; store it now:");
        ctx.out().println();
        ctx.out().println("    " + issued.plaintext());
        ctx.out().println();
        ctx.out().println("Use it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.");
        return 0;
    }

    /** The option a field of the key came from: {@code robot_id} is {@code --robot-id}. */
    private static String option(String field) {
        return switch (field) {
            case "expires_at" -> "--expires";
            case "folders" -> "--folder";
            default -> "--" + field.replace('_', '-');
        };
    }

    static Instant parseExpiry(String text) {
        Matcher m = RELATIVE.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return Instant.now().plus(d);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new CommandFailure("--expires: expected a duration (30d, 12h), a date (2027-01-31) or an instant"
                        + " (2027-01-31T12:00:00Z), got \"" + text + "\"", 2, null);
            }
        }
    }
}
