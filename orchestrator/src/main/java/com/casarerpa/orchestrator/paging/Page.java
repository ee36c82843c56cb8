package com.casarerpa.orchestrator.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing, serialised as {@code {"items":[…],"next_cursor":null|"…"}}; a null
 * {@code nextCursor} means this was the last page.
 */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }

    /**
     * Cuts {@code rows} (read with {@code limit + 1}) to a page: when there is an extra row, the
     * cursor is the sort key of the last item kept.
     */
    public static <T> Page<T> of(List<T> rows, PageRequest request, Function<T, List<String>> sortKey) {
        if (rows.size() <= request.limit()) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, request.limit());
        return new Page<>(items, PageCursor.encode(sortKey.apply(items.getLast())));
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor);
    }
}
