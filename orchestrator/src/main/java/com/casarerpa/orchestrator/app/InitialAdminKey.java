package com.casarerpa.orchestrator.app;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.store.DataDirectory;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quick start's admin key: the first start of an empty embedded database creates one, so a
 * newcomer can call the API at once. It is made only once the server is up, so a start that fails
 * earlier (its port in use, say) leaves it to the next start. The start command shows it once on
 * stderr (it is never logged), and it is written to {@code <data dir>/initial-admin.key}
 * (owner-only), because service managers capture stderr. Production creates its first key with
 * {@code create-api-key}.
 *
 * @param plaintext the key
 * @param file      where it was written; empty when that failed (stderr is then the only copy)
 */
public record InitialAdminKey(String plaintext, Optional<Path> file) {
    public static final String FILE_NAME = "initial-admin.key";
    private static final Logger log = LoggerFactory.getLogger(InitialAdminKey.class);

    static Optional<InitialAdminKey> createOnFirstStart(ApiKeys apiKeys, DatabaseUrl url, Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
        if (!apiKeys.noneExist()) {
            if (url.isEmbedded() && Files.exists(file)) {
                log.info("the initial admin key is still in {}; once it is stored elsewhere, delete the file", file);
            }
            return Optional.empty();
        }
        if (!url.isEmbedded()) {
            log.info("no API keys exist yet; create the first one with: casare-rpa orchestrator create-api-key --name \"Admin Key\" --role admin");
            return Optional.empty();
        }
        String key = apiKeys.create("Initial admin key", Role.ADMIN, Optional.empty(), Optional.empty(),
                new Actor("system", "quick-start", "first start of the embedded database", Role.ADMIN)).plaintext();
        return Optional.of(new InitialAdminKey(key, write(file, key)));
    }

    private static Optional<Path> write(Path file, String key) {
        try {
            Files.deleteIfExists(file); // left by an earlier database of this data directory: its key is gone with it
            DataDirectory.writeNew(file, key + "\n");
            return Optional.of(file);
        } catch (IOException e) {
            log.warn("cannot write the initial admin key to {}: {}; it is shown on stderr only", file, e.getMessage());
            return Optional.empty();
        }
    }
}
