package com.casarerpa.orchestrator.app;

import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.store.DataDirectory;
import java.nio.file.Path;

/**
 * The key that signs JWTs. Configured ({@code orchestrator.secret_key}) it must be at least 32
 * characters. Unset, the embedded quick start generates one and keeps it in
 * {@code <data dir>/secret.key} (owner-only), so tokens survive restarts; production (PostgreSQL)
 * refuses to start, because several instances must share one key and no default is safe.
 */
final class SigningSecret {
    static final int MIN_LENGTH = 32;
    static final String FILE_NAME = "secret.key";
    private static final int RANDOM_BYTES = 48;

    private SigningSecret() {}

    static Secret resolve(java.util.Optional<Secret> configured, boolean embedded, Path dataDir) {
        if (configured.isPresent()) {
            int length = configured.get().reveal().length();
            if (length < MIN_LENGTH) {
                throw new ConfigException("orchestrator.secret_key: too short (" + length + " characters); use at least "
                        + MIN_LENGTH + " random characters, e.g. ORCHESTRATOR_SECRET_KEY=$(openssl rand -base64 48)");
            }
            return configured.get();
        }
        if (!embedded) {
            throw new ConfigException("orchestrator.secret_key is not set; with PostgreSQL (production) it is required and"
                    + " must be the same on every instance: set ORCHESTRATOR_SECRET_KEY=$(openssl rand -base64 48),"
                    + " or orchestrator.secret_key in config/orchestrator.yaml");
        }
        return readOrCreate(dataDir.resolve(FILE_NAME));
    }

    private static Secret readOrCreate(Path file) {
        String value = DataDirectory.readOrCreateSecret(file, RANDOM_BYTES);
        if (value.length() < MIN_LENGTH) {
            throw new ConfigException(file + " holds a signing key shorter than " + MIN_LENGTH
                    + " characters; delete it to have a new one generated");
        }
        return new Secret(value);
    }
}
