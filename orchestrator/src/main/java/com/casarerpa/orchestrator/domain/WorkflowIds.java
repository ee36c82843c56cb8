package com.casarerpa.orchestrator.domain;

import java.security.SecureRandom;

/** New workflow ids: {@code wf_} and 16 random lower-case letters and digits (about 82 bits). */
public final class WorkflowIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private WorkflowIds() {}

    public static String random() {
        StringBuilder id = new StringBuilder("wf_");
        for (int i = 0; i < 16; i++) {
            id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
