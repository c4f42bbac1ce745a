package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.auth.Auth;
import io.tribune.api.api.JoinByNumberRequest;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Caller;
import io.tribune.api.core.MeetingIds;
import io.tribune.api.core.MeetingJoiner;
import io.tribune.api.core.TimeInput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * {@code POST /api/v1/meetings/join}: by the number people type, always with the passcode
 * ({@code {"numeric_id": "123 4567 8901", "passcode": "...", "display_name": "..."}}); signed in or as a guest.
 * Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/join")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingJoinByNumberResource {

    private final MeetingJoiner joiner;
    private final JoinCallers joinCallers;

    MeetingJoinByNumberResource(MeetingJoiner joiner, JoinCallers joinCallers) {
        this.joiner = joiner;
        this.joinCallers = joinCallers;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response join(@Auth Optional<AuthenticatedUser> user,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         JoinByNumberRequest request, @Context HttpServletRequest http) {
        if (request == null) {
            throw TimeInput.invalid("numeric_id", "is required");
        }
        long numericId = numericId(request.numericId());
        Caller caller = joinCallers.caller(user, authorization, request.userId());
        String displayName = MeetingRequests.displayName(request.displayName());
        if (caller == null && displayName == null) {
            throw TimeInput.invalid("display_name", "is required to join as a guest");
        }
        return joinCallers.respond(joiner.joinByNumber(numericId, new MeetingJoiner.Attempt(caller, displayName,
                request.passcode(), JoinCallers.address(http))));
    }

    /** The number as typed: digits, optionally grouped with spaces or dashes, or a JSON number. */
    static long numericId(JsonNode value) {
        String digits = value == null || value.isNull() ? null
                : value.isIntegralNumber() ? value.asText()
                : value.isTextual() ? value.textValue().replaceAll("[\\s-]", "") : null;
        if (digits == null || digits.isEmpty()) {
            throw TimeInput.invalid("numeric_id", "is required");
        }
        if (!digits.matches("[0-9]{11}")) {
            throw TimeInput.invalid("numeric_id", "must be the meeting's 11-digit number");
        }
        long number = Long.parseLong(digits);
        if (number < MeetingIds.MIN_NUMERIC_ID) {
            throw TimeInput.invalid("numeric_id", "must be the meeting's 11-digit number");
        }
        return number;
    }
}
