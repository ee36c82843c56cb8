package com.casarerpa.orchestrator.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An orchestrator instance in a JVM of its own (run by {@link ChildJvm}), so a test can kill it
 * with SIGKILL: {@code OrchestratorProcess WORK_DIR DATABASE [KEY=VALUE ...]} starts an instance
 * on that database of the test PostgreSQL (a {@code postgresql://} URL: on that database of any
 * server; or, with {@code embedded}, on the embedded database of
 * {@code WORK_DIR/data}) with this environment, prints {@code orchestrator-port=N} and runs until
 * it is killed: SIGKILL ({@link ChildJvm#kill}) drops it at once, SIGTERM ({@link ChildJvm#terminate})
 * drains and stops it as {@code casare-rpa orchestrator start} does.
 */
public final class OrchestratorProcess {
    public static final String PORT_LINE = "orchestrator-port=";
    public static final String EMBEDDED = "embedded";

    private OrchestratorProcess() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            env.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Path work = Path.of(args[0]);
        RunningOrchestrator instance = args[1].equals(EMBEDDED) ? RunningOrchestrator.embedded(work, env)
                : args[1].startsWith("postgresql://") ? RunningOrchestrator.postgresAt(work, args[1], env)
                : RunningOrchestrator.postgresOn(work, args[1], env);
        Runtime.getRuntime().addShutdownHook(new Thread(instance.orchestrator()::close, "shutdown"));
        System.out.println(PORT_LINE + instance.orchestrator().port());
        System.out.flush();
        instance.orchestrator().awaitStopped();
    }
}
