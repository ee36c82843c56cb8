package com.casarerpa.common.config;

/**
 * Configuration that cannot be used: unknown key, wrong type, value out of range, unset
 * variable. The message names the key's path (for example
 * {@code queue.max_retries: expected an integer >= 0, got "three"}) and is shown to the
 * operator as it is, on one line.
 */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
