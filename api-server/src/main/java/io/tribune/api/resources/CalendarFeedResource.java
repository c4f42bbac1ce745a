package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.CalendarFeedResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.CalendarFeeds;
import io.tribune.api.core.MeetingLinks;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * {@code /api/v1/users/{user_id}/calendar-feed}: the caller's own secret subscription URLs ({@code GET}, made on
 * first use) and a new pair that invalidates the old ({@code POST .../rotate}). Only for oneself: nobody else,
 * admins included, may read a person's feed address. Thread-safe.
 */
@Path(ApiPaths.V1 + "/users/{user_id}/calendar-feed")
@Produces(MediaType.APPLICATION_JSON)
public final class CalendarFeedResource {

    private final CalendarFeeds feeds;
    private final MeetingLinks links;

    CalendarFeedResource(CalendarFeeds feeds, MeetingLinks links) {
        this.feeds = feeds;
        this.links = links;
    }

    @GET
    public CalendarFeedResponse get(@Auth AuthenticatedUser user, @PathParam("user_id") String userId) {
        return response(feeds.token(self(user, userId)));
    }

    @POST
    @Path("/rotate")
    public CalendarFeedResponse rotate(@Auth AuthenticatedUser user, @PathParam("user_id") String userId) {
        return response(feeds.rotate(self(user, userId)));
    }

    private static String self(AuthenticatedUser user, String userId) {
        if (!user.userId().equals(userId)) {
            throw new ApiException(403, "forbidden", "You can only see your own calendar feed.",
                    Map.of("user_id", userId));
        }
        return userId;
    }

    private CalendarFeedResponse response(String token) {
        return new CalendarFeedResponse(links.webcalUrl(token), links.feedUrl(token));
    }
}
