package com.casarerpa.orchestrator.app;

import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that signs JWTs. Configured ({@code orchestrator.secret_key}) it must be at least 32
 * characters. Unset, the embedded quick start generates one and keeps it in
 * {@code <data dir>/secret.key} (owner-only), so tokens survive restarts; production (PostgreSQL)
 * refuses to start, because several instances must share one key and no default is safe.
 */
final class SigningSecret {
    static final int MIN_LENGTH = 32;
    static final String FILE_NAME = "secret.key";

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
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[48];
                new SecureRandom().nextBytes(bytes);
                String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                try {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, value + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
                    restrict(file);
                } catch (FileAlreadyExistsException raced) {
                    // another process wrote it first: use theirs
                }
            }
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.length() < MIN_LENGTH) {
                throw new ConfigException(file + " holds a signing key shorter than " + MIN_LENGTH
                        + " characters; delete it to have a new one generated");
            }
            return new Secret(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the signing key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data directory's own permissions apply
        }
    }
}
