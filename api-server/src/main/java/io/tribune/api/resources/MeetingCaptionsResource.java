package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.CaptionsRequest;
import io.tribune.api.api.CaptionsResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.LiveCaptions;
import io.tribune.api.core.MeetingAccess;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.core.UserDirectory;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * {@code GET /api/v1/meetings/{meeting_id}/captions} (anyone who may see the meeting) and {@code POST} with
 * {@code {"enabled": bool}} (the host, co-hosts and admins): whether the meeting's live captions are on, and
 * switching them. Answers {@code {"enabled": bool}}. Errors: 400 {@code invalid_request} without {@code enabled},
 * 403 {@code forbidden}, 404 {@code meeting_not_found}, 409 {@code captions_not_allowed} (the meeting's
 * {@code transcription_allowed} is off) and {@code meeting_cancelled}, 503 {@code captions_unavailable} (Redis
 * unreachable). Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/captions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class MeetingCaptionsResource {

    private final LiveCaptions captions;
    private final MeetingScheduler scheduler;
    private final Callers callers;

    public MeetingCaptionsResource(LiveCaptions captions, MeetingScheduler scheduler, UserDirectory users) {
        this.captions = captions;
        this.scheduler = scheduler;
        this.callers = new Callers(users);
    }

    @GET
    public CaptionsResponse get(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId) {
        MeetingAccess.of(scheduler.get(meetingId), callers.of(user)).requireView();
        return new CaptionsResponse(captions.enabled(meetingId));
    }

    @POST
    public CaptionsResponse set(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                CaptionsRequest request) {
        if (request == null || request.enabled() == null) {
            throw new ApiException(400, "invalid_request", "The body must be {\"enabled\": true|false}.",
                    Map.of("enabled", "is required"));
        }
        return new CaptionsResponse(captions.set(callers.of(user), meetingId, request.enabled()));
    }
}
