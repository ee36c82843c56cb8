package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.service.Authenticator;
import com.casarerpa.orchestrator.service.FeedFilter;
import com.casarerpa.orchestrator.service.FolderAccess;
import com.casarerpa.orchestrator.service.JobQueries;
import com.casarerpa.orchestrator.service.LiveFeeds;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/events}: the live feed, as Server-Sent Events, of the changes of jobs,
 * robots, schedules and job logs the caller may read (docs/rest-api.md, "Live feed"). Any
 * signed-in caller; each change is sent only where its folder lets the caller read it.
 */
public final class EventRoutes implements RouteGroup {
    static final String PATH = "/api/v1/events";

    private final LiveFeeds feeds;
    private final FolderAccess folders;
    private final JobQueries jobs;
    private final Authenticator authenticator;
    private final Duration recheck;

    /** @param recheck how often an open feed's credential is checked again */
    public EventRoutes(LiveFeeds feeds, FolderAccess folders, JobQueries jobs, Authenticator authenticator, Duration recheck) {
        this.recheck = recheck;
        this.feeds = feeds;
        this.folders = folders;
        this.jobs = jobs;
        this.authenticator = authenticator;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, this::events, Access.SIGNED_IN);
    }

    private void events(Context ctx) throws IOException {
        Actor actor = Callers.of(ctx);
        FeedFilter filter = filter(ctx, actor);
        Optional<String> resume = Optional.ofNullable(ctx.header("Last-Event-ID")).or(() -> lastEventId(ctx)).filter(s -> !s.isBlank());
        LiveFeed feed = new LiveFeed(feeds, filter, actor, recheck(ctx), recheck);
        LiveFeeds.Opened place;
        try {
            place = feeds.open(actor.kind() + ":" + actor.id(), feed::stop, feed::replaced);
        } catch (LiveFeeds.Refused e) {
            throw ApiError.unavailable(e.getMessage(), Map.of());
        }
        try {
            // Written to the response itself, past the framework's compression, which would hold the events back.
            ctx.status(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            feed.run(place, resume, ctx.res().getOutputStream());
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } finally {
            place.close();
        }
    }

    private FeedFilter filter(Context ctx, Actor actor) {
        Optional<String> job = Optional.ofNullable(ctx.queryParam("job")).filter(s -> !s.isBlank());
        job.ifPresent(id -> jobs.find(id, Permission.JOB_READ, actor));
        Optional<String> folder = Optional.ofNullable(ctx.queryParam("folder")).map(ref -> folders.resolve(actor, ref, "folder").id());
        Set<Change.Kind> kinds = Optional.ofNullable(ctx.queryParam("kinds")).map(EventRoutes::kinds)
                .orElse(job.isPresent() ? FeedFilter.JOB_KINDS : FeedFilter.DEFAULT_KINDS);
        return new FeedFilter(kinds, folder, job);
    }

    /**
     * {@code last_event_id}, which must look like a cursor ({@code <instance>.<number>}). The
     * header is taken as sent: a browser's EventSource sends it by itself, and a cursor that is
     * not one of this instance's gets {@code reset}, not an error it would not reconnect after.
     */
    private static Optional<String> lastEventId(Context ctx) {
        Optional<String> raw = Optional.ofNullable(ctx.queryParam("last_event_id")).filter(s -> !s.isEmpty());
        if (raw.isPresent() && !raw.get().matches("[A-Za-z0-9_-]{1,100}\\.\\d{1,18}")) {
            throw ApiError.invalidField("last_event_id", "must be the id of an event of the feed (<instance>.<number>),"
                    + " got \"" + (raw.get().length() > 100 ? raw.get().substring(0, 100) + "…" : raw.get()) + "\"");
        }
        return raw;
    }

    private static Set<Change.Kind> kinds(String list) {
        Set<Change.Kind> out = EnumSet.noneOf(Change.Kind.class);
        for (String k : list.split(",", -1)) {
            String name = k.strip().toLowerCase(Locale.ROOT);
            out.add(Arrays.stream(Change.Kind.values()).filter(v -> v.wireName().equals(name)).findFirst()
                    .orElseThrow(() -> ApiError.invalidField("kinds", "\"" + k.strip() + "\" is not a kind of change; a comma list of "
                            + Arrays.stream(Change.Kind.values()).map(Change.Kind::wireName).collect(Collectors.joining(", ")))));
        }
        return out;
    }

    /** Authenticates the request's credential again, as {@link Authentication} did: the caller as it is now. */
    private Supplier<Actor> recheck(Context ctx) {
        Optional<String> credential = Authentication.credential(ctx);
        Optional<String> cookie = credential.isEmpty() ? SessionCookie.read(ctx) : Optional.empty();
        return () -> (credential.isPresent() ? authenticator.caller(credential.get())
                : authenticator.sessionCookie(cookie.orElseThrow())).actor();
    }
}
