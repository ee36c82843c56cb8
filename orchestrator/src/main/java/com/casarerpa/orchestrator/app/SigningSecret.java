package com.casarerpa.orchestrator.app;

import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.store.DataDirectory;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.GeneratedSigningKey;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that signs JWTs. Configured ({@code orchestrator.secret_key}) it must be at least 32
 * characters. Unset, the embedded quick start generates one and keeps it in
 * {@code <data dir>/secret.key} (owner-only), so tokens survive restarts. On PostgreSQL an unset
 * key is generated once, at random, and kept in the database ({@link GeneratedSigningKey}), so
 * every instance shares it and the spec's docker-compose file starts as written; each start says
 * so in a warning, with the trade-off and how to set one. There is never a fixed default key.
 */
final class SigningSecret {
    private static final Logger log = LoggerFactory.getLogger(SigningSecret.class);
    static final String GENERATED_IN_DATABASE = "orchestrator.secret_key is not set: tokens are signed with a random key"
            + " generated at the first start and kept in the database (table generated_secrets), shared by every instance."
            + " Anyone who can read the database or a backup of it can sign tokens with it. Set your own with"
            + " ORCHESTRATOR_SECRET_KEY=$(openssl rand -base64 48) (the same on every instance); the tokens signed so far"
            + " then stop working and clients fetch new ones";

    static final int MIN_LENGTH = 32;
    static final String FILE_NAME = DataDirectory.SIGNING_KEY_FILE;
    private static final int RANDOM_BYTES = 48;

    private SigningSecret() {}

    /** The configured key, else the generated one: the embedded database's file, or PostgreSQL's row. */
    static Secret resolve(java.util.Optional<Secret> configured, Database database, Path dataDir) {
        if (configured.isPresent()) {
            int length = configured.get().reveal().length();
            if (length < MIN_LENGTH) {
                throw new ConfigException("orchestrator.secret_key: too short (" + length + " characters); use at least "
                        + MIN_LENGTH + " random characters, e.g. ORCHESTRATOR_SECRET_KEY=$(openssl rand -base64 48)");
            }
            return configured.get();
        }
        if (!database.url().isEmbedded()) {
            log.warn(GENERATED_IN_DATABASE);
            return GeneratedSigningKey.readOrCreate(database);
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
