package com.casarerpa.orchestrator.store;

import com.casarerpa.common.config.ConfigException;

/**
 * {@code database.url} (or {@code DATABASE_URL}) cannot be used. A configuration error: the
 * message starts with {@code database.url:}, says what is wrong and never quotes the URL itself,
 * which may contain a password.
 */
public class InvalidDatabaseUrlException extends ConfigException {
    public InvalidDatabaseUrlException(String problem) {
        super("database.url: " + problem);
    }
}
