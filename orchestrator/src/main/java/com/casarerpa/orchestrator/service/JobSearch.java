package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ErrorSignature;
import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.store.FailureSignatures;
import com.casarerpa.orchestrator.store.JobListing;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the filter a caller asked for into the one the store runs, the same way for the listing,
 * the CSV export and the bulk actions: only the folders where the caller holds a permission (or
 * the one folder asked for), unsigned failures signed before a signature filter reads them, and
 * the free text's variables searched with sensitive values hidden.
 *
 * <p>The variables part of {@code q} is bounded: it looks at the {@value #VARIABLES_WINDOW} newest
 * jobs that match the rest of the filter, and keeps the first {@value #MAX_VARIABLES_MATCHES} that
 * hold the text; narrow the filter (since, until, workflow_id, state) to search further back. The
 * id, workflow name and tag parts are index lookups and are not bounded.
 */
public final class JobSearch {
    public static final int MAX_QUERY = 200;
    public static final int VARIABLES_WINDOW = 10_000;
    public static final int MAX_VARIABLES_MATCHES = 1_000;

    private final FolderAccess folders;
    private final JobListing listing;
    private final FailureSignatures signatures;
    private final SensitiveDeclarations sensitive;

    public JobSearch(FolderAccess folders, JobListing listing, FailureSignatures signatures, SensitiveDeclarations sensitive) {
        this.folders = folders;
        this.listing = listing;
        this.signatures = signatures;
        this.sensitive = sensitive;
    }

    /**
     * The filter to run for {@code actor}: {@code asked} (whose text, if any, has no variable
     * matches yet) within the folders where it holds {@code permission}.
     *
     * @param folder the request's {@code folder} (an id or a path)
     * @param prefix how a refusal names the filter's fields ({@code ""}, or {@code "filter."} in a body)
     * @throws InvalidInputException for a bad {@code q}, {@code error_signature} or {@code folder}
     */
    public JobFilter resolve(JobFilter asked, Optional<String> folder, Permission permission, Actor actor, String prefix) {
        asked.errorSignature().ifPresent(s -> {
            if (!ErrorSignature.isId(s)) {
                throw new InvalidInputException(prefix + "error_signature", "must be a signature as failure groups give it"
                        + " (16 hex characters), got \"" + s + "\"");
            }
        });
        Optional<String> query = asked.text().map(JobFilter.Text::query).map(String::strip);
        if (query.isPresent() && (query.get().isEmpty() || query.get().length() > MAX_QUERY)) {
            throw new InvalidInputException(prefix + "q", "must be 1 to " + MAX_QUERY + " characters");
        }
        JobFilter within = asked.within(folders.listed(actor, permission, folder));
        if (within.errorSignature().isPresent()) {
            signatures.signUnsigned();
        }
        if (query.isEmpty()) {
            return within;
        }
        return within.withText(Optional.of(new JobFilter.Text(query.get(), variableMatches(within, query.get()))));
    }

    /** The jobs whose variables, as the caller would see them (sensitive values hidden), hold {@code query}. */
    private List<String> variableMatches(JobFilter filter, String query) {
        String needle = query.toLowerCase(Locale.ROOT);
        return listing.variablesHolding(filter, query, VARIABLES_WINDOW, MAX_VARIABLES_MATCHES).stream()
                .filter(c -> shown(c).toLowerCase(Locale.ROOT).contains(needle))
                .map(JobListing.VariablesCandidate::id)
                .toList();
    }

    private String shown(JobListing.VariablesCandidate c) {
        try {
            return WorkflowJson.compact(SensitiveValues.variables(WorkflowJson.parse(c.variables()),
                    sensitive.of(c.workflowId(), c.workflowVersion())));
        } catch (IllegalArgumentException e) {
            return c.variables();
        }
    }
}
