package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.paging.PageCursor;
import com.casarerpa.orchestrator.paging.PageRequest;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The {@code limit} (default {@value PageRequest#DEFAULT_LIMIT}, at most
 * {@value PageRequest#MAX_LIMIT}) and {@code cursor} query parameters of every paginated listing;
 * answers are {@link com.casarerpa.orchestrator.paging.Page}s: {@code {"items":[…],"next_cursor":…}}.
 */
final class Paging {
    private Paging() {}

    static PageRequest from(Context ctx) {
        int limit = RequestBodies.positiveInt(ctx, "limit").orElse(PageRequest.DEFAULT_LIMIT);
        if (limit > PageRequest.MAX_LIMIT) {
            throw ApiError.invalidField("limit", "must be from 1 to " + PageRequest.MAX_LIMIT + ", got " + limit);
        }
        String cursor = ctx.queryParam("cursor");
        if (cursor == null || cursor.isEmpty()) {
            return PageRequest.first(limit);
        }
        try {
            return new PageRequest(limit, Optional.of(PageCursor.decode(cursor)));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidField("cursor", e.getMessage());
        }
    }
}
