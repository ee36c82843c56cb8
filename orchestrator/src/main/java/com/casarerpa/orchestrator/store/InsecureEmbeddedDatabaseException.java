package com.casarerpa.orchestrator.store;

/**
 * The embedded database would be open to other local users: its data directory is shared with
 * every user or cannot be made private, its password file is empty, or H2 was told to serve it
 * on an address other machines can reach.
 */
public class InsecureEmbeddedDatabaseException extends StoreException {
    public InsecureEmbeddedDatabaseException(String message) {
        super(message, null);
    }

    public InsecureEmbeddedDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
