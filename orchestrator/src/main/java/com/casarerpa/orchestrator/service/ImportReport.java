package com.casarerpa.orchestrator.service;

import java.util.List;

/**
 * What an import did: workflows written, and workflows skipped because the database already
 * holds them identically (same id, name and versions with the same checksums).
 */
public record ImportReport(List<Item> imported, List<Item> skipped) {
    public record Item(String id, String name, List<Integer> versions) {}

    public ImportReport {
        imported = List.copyOf(imported);
        skipped = List.copyOf(skipped);
    }
}
