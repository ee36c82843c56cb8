package com.casarerpa.engine;

/** Log severities, named as the robot protocol names them ({@code debug}, {@code info}, ...). */
public enum LogLevel {
    DEBUG, INFO, WARNING, ERROR;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
