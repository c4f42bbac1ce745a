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
 * ({@code {"display_name": ..., "passcode": ...}}, without a token, when the meeting allows guests; a guest admitted
 * from the lobby joining again adds {@code participant_id} and {@code rejoin_secret}). 200 with the
 * join token, or 202 with a lobby ticket. The rules are {@link MeetingJoiner}'s. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/join")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingJoinResource {

    /** Guest ids and rejoin secrets are far shorter; anything longer is not one. */
    private static final int MAX_REJOIN_FIELD = 128;

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
        // Signed-in people are known by their account: the guest rejoin fields are ignored for them.
        String rejoinId = caller == null ? body.participantId() : null;
        String rejoinSecret = caller == null ? body.rejoinSecret() : null;
        if ((rejoinId == null) != (rejoinSecret == null)) {
            throw TimeInput.invalid(rejoinId == null ? "participant_id" : "rejoin_secret",
                    "is required with " + (rejoinId == null ? "rejoin_secret" : "participant_id"));
        }
        if (rejoinId != null && (rejoinId.length() > MAX_REJOIN_FIELD || rejoinSecret.length() > MAX_REJOIN_FIELD)) {
            throw TimeInput.invalid(rejoinId.length() > MAX_REJOIN_FIELD ? "participant_id" : "rejoin_secret",
                    "is at most " + MAX_REJOIN_FIELD + " characters");
        }
        return joinCallers.respond(joiner.joinById(meetingId, new MeetingJoiner.Attempt(caller, displayName,
                body.passcode(), JoinCallers.address(http), rejoinId, rejoinSecret)));
    }
}
