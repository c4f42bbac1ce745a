package io.tribune.api.resources;

import io.tribune.api.core.CalendarFeeds;
import io.tribune.api.core.MeetingCalendar;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * {@code GET /api/v1/calendar/{feed_token}.ics}: a person's meetings as one calendar for Google Calendar,
 * Outlook and the like to subscribe to. No credentials: the unguessable token in the URL is the capability.
 * Thread-safe.
 */
@Path(ApiPaths.V1 + "/calendar/{feed_token}.ics")
public final class CalendarFeedIcsResource {

    private final CalendarFeeds feeds;

    CalendarFeedIcsResource(CalendarFeeds feeds) {
        this.feeds = feeds;
    }

    @GET
    @Produces({"text/calendar", "application/json"})
    public Response feed(@PathParam("feed_token") String token) {
        String ics = feeds.render(token).orElseThrow(() -> new ApiException(404, "calendar_feed_not_found",
                "No calendar feed has this address (it may have been replaced).", Map.of()));
        // As a string header, so it goes out exactly as written (with the space before charset).
        return Response.ok(ics)
                .header(HttpHeaders.CONTENT_TYPE, MeetingCalendar.MEDIA_TYPE)
                .header("Cache-Control", "private, max-age=300")
                .build();
    }
}
