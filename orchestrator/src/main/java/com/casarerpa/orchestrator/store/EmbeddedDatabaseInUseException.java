package com.casarerpa.orchestrator.store;

import java.nio.file.Path;
import java.util.OptionalLong;

/** Another orchestrator server already holds the embedded database of this data directory. */
public class EmbeddedDatabaseInUseException extends StoreException {
    private final Path dataDir;
    private final OptionalLong holderPid;

    public EmbeddedDatabaseInUseException(Path dataDir, OptionalLong holderPid, String message) {
        super(message, null);
        this.dataDir = dataDir;
        this.holderPid = holderPid;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The pid written by the holder, when it could be read. */
    public OptionalLong holderPid() {
        return holderPid;
    }
}
