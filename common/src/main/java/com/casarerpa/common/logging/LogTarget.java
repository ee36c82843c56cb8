package com.casarerpa.common.logging;

/**
 * Where console log lines go: the server logs to standard output (what process supervisors and
 * containers collect); every other command logs to standard error, so that its own output on
 * standard output stays clean for pipes and scripts.
 */
public enum LogTarget {
    STDOUT, STDERR
}
