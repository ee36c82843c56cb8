package com.casarerpa.orchestrator.domain;

import java.util.List;

/** As {@link Submitted}, for a batch: its jobs in the order sent (those not deleted since, for a repeat). */
public record BatchSubmitted(List<Job> jobs, boolean created, boolean sameRequest) {}
