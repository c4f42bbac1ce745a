package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.RecordingControlRequest;
import io.tribune.api.api.RecordingControlResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Caller;
import io.tribune.api.core.MeetingRecordings;
import io.tribune.api.core.Recording;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * The seed's {@code POST /api/v1/meetings/{meeting_id}/recording/start} and {@code .../stop} ({@code {user_id}} ->
 * {@code {message}}), for the host, co-hosts and admins while the meeting's {@code recording_allowed} is on.
 * Errors: 403 when {@code user_id} is not the caller's, 403 {@code forbidden} / {@code recording_not_allowed}, 404
 * {@code meeting_not_found}, 409 {@code already_recording} / {@code not_recording} / {@code meeting_cancelled}.
 * Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/recording")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class MeetingRecordingResource {

    private final MeetingRecordings recordings;
    private final Callers callers;

    MeetingRecordingResource(MeetingRecordings recordings, Callers callers) {
        this.recordings = recordings;
        this.callers = callers;
    }

    @POST
    @Path("/start")
    public RecordingControlResponse start(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                          RecordingControlRequest request) {
        Recording started = recordings.start(caller(user, request), meetingId);
        return new RecordingControlResponse("Recording started", started.id(), started.status().wireName());
    }

    @POST
    @Path("/stop")
    public RecordingControlResponse stop(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                         RecordingControlRequest request) {
        Recording stopped = recordings.stop(caller(user, request), meetingId);
        return new RecordingControlResponse("Recording stopped", stopped.id(), stopped.status().wireName());
    }

    private Caller caller(AuthenticatedUser user, RecordingControlRequest request) {
        if (request != null && request.userId() != null && !request.userId().equals(user.userId())) {
            throw new ApiException(403, "forbidden", "user_id must be your own user id.",
                    Map.of("user_id", "must be your own user id"));
        }
        return callers.of(user);
    }
}
