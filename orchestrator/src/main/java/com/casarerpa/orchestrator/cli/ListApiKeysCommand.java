package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.common.cli.TextTable;
import com.casarerpa.orchestrator.domain.ApiKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list-api-keys}: the keys, never their text. */
@Command(name = "list-api-keys", mixinStandardHelpOptions = true, description = "List API keys (never the keys themselves).")
final class ListApiKeysCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Option(names = "--all", description = "Include revoked keys.")
    boolean all;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    ListApiKeysCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<ApiKey> keys = KeyAdministration.withKeys(ctx, config, k -> k.list(all));
        Instant now = Instant.now();
        if (json) {
            JsonOutput.print(ctx.out(), Map.of("items", keys.stream().map(k -> view(k, now)).toList()));
            return 0;
        }
        if (keys.isEmpty()) {
            ctx.out().println("No API keys" + (all ? "" : " (use --all to include revoked ones)")
                    + ". Create one with: casare-rpa orchestrator create-api-key --name \"Admin Key\" --role admin");
            return 0;
        }
        TextTable table = new TextTable("ID", "NAME", "ROLE", "PREFIX", "STATUS", "CREATED", "LAST USED", "EXPIRES");
        for (ApiKey k : keys) {
            table.row(k.id(), k.name(), k.role().wireName() + k.robotId().map(r -> " (" + r + ")").orElse(""),
                    k.prefix() + "…", k.status(now).wireName(), k.createdAt().toString(),
                    k.lastUsedAt().map(Instant::toString).orElse("never"),
                    k.expiresAt().map(Instant::toString).orElse("never"));
        }
        table.print(ctx.out());
        return 0;
    }

    private static Map<String, Object> view(ApiKey k, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("role", k.role().wireName());
        m.put("prefix", k.prefix());
        m.put("robot_id", k.robotId().orElse(null));
        m.put("status", k.status(now).wireName());
        m.put("created_at", k.createdAt());
        m.put("created_by", k.createdBy());
        m.put("last_used_at", k.lastUsedAt().orElse(null));
        m.put("expires_at", k.expiresAt().orElse(null));
        m.put("revoked_at", k.revokedAt().orElse(null));
        return m;
    }
}
