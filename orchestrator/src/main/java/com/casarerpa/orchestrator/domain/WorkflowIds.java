package com.casarerpa.orchestrator.domain;

import java.security.SecureRandom;

/** New workflow ids: {@code wf_} and 16 random lower-case letters and digits (about 82 bits). */
public final class WorkflowIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private WorkflowIds() {}

    public static String random() {
        return random("wf_");
    }

    /** {@code prefix} and 16 random characters: the ids of schedules ({@code sch_}) and webhooks ({@code wh_}) too. */
    public static String random(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 16; i++) {
            id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
