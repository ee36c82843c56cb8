package com.casarerpa.orchestrator.store;

import java.time.Duration;

/** A migration that {@link Migrations#migrate()} has just applied. */
public record AppliedMigration(String version, String description, Duration executionTime) {}
