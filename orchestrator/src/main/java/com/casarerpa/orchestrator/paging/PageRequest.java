package com.casarerpa.orchestrator.paging;

import java.util.List;
import java.util.Optional;

/**
 * One page of a keyset-paginated listing: at most {@code limit} items after the position a
 * cursor names. Stores order by a unique key and read {@code limit + 1} rows to know whether a
 * next page exists; the cursor carries the key of the last item returned, never an offset, so
 * pages stay fast and stable while rows are added.
 *
 * @param after the sort key of the last item of the previous page; empty for the first page
 */
public record PageRequest(int limit, Optional<List<String>> after) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        after = after.map(List::copyOf);
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, Optional.empty());
    }
}
