package com.casarerpa.common.secrets;

import java.util.regex.Pattern;

/**
 * The one rule for which names hold secrets, and how a hidden value is shown. The engine hides
 * such variables in what leaves a run (final variables, log lines); the orchestrator hides them in
 * every read of a workflow definition, a job or a trigger. A name looks secret when it contains
 * password, passwd, secret, token, api_key/apikey, credential, private_key/privatekey or
 * authorization, in any case. A variable a workflow declares {@code "sensitive": true} is hidden
 * whatever its name; that part of the rule lives with whoever reads the declaration.
 */
public final class SensitiveNames {
    /** What a hidden value is shown as, everywhere. */
    public static final String MASK = "***";

    private static final Pattern SECRET_LOOKING =
            Pattern.compile("(?i).*(password|passwd|secret|token|api_?key|credential|private_?key|authorization).*");

    private SensitiveNames() {}

    /** Whether a value stored under {@code name} is hidden by its name alone. */
    public static boolean looksSecret(String name) {
        return name != null && SECRET_LOOKING.matcher(name).matches();
    }
}
