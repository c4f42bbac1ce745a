package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.JoinRequest;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Caller;
import io.tribune.api.core.MeetingJoiner;
import io.tribune.api.core.TimeInput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * {@code POST /api/v1/meetings/{meeting_id}/join}: by link, signed in ({@code {"user_id": ...}}) or as a guest
 * ({@code {"display_name": ..., "passcode": ...}}, without a token, when the meeting allows guests). 200 with the
 * join token, or 202 with a lobby ticket. The rules are {@link MeetingJoiner}'s. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/join")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingJoinResource {

    private final MeetingJoiner joiner;
    private final JoinCallers joinCallers;

    MeetingJoinResource(MeetingJoiner joiner, JoinCallers joinCallers) {
        this.joiner = joiner;
        this.joinCallers = joinCallers;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response join(@Auth Optional<AuthenticatedUser> user,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @PathParam("meeting_id") String meetingId, JoinRequest request,
                         @Context HttpServletRequest http) {
        JoinRequest body = request == null ? new JoinRequest(null, null, null) : request;
        Caller caller = joinCallers.caller(user, authorization, body.userId());
        String displayName = MeetingRequests.displayName(body.displayName());
        if (caller == null && displayName == null) {
            throw TimeInput.invalid("display_name", "is required to join as a guest");
        }
        return joinCallers.respond(joiner.joinById(meetingId, new MeetingJoiner.Attempt(caller, displayName,
                body.passcode(), JoinCallers.address(http))));
    }
}
