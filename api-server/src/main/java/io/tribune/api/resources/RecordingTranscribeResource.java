package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.RecordingResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.RecordingTranscriptions;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/v1/recordings/{recording_id}/transcribe}: asks transcription-worker for the recording's transcript
 * (admins and those who manage the recording) -> 202 with the recording ({@code transcript_status}
 * {@code transcribing}); 409 {@code already_transcribing}, {@code recording_not_ready}, {@code no_audio},
 * {@code meeting_gone}; 403 for those who may only play it, 404 for the rest. Thread-safe.
 */
@Path(ApiPaths.V1 + "/recordings/{recording_id}/transcribe")
@Produces(MediaType.APPLICATION_JSON)
public final class RecordingTranscribeResource {

    private final RecordingTranscriptions transcriptions;
    private final Callers callers;

    RecordingTranscribeResource(RecordingTranscriptions transcriptions, Callers callers) {
        this.transcriptions = transcriptions;
        this.callers = callers;
    }

    @POST
    public Response transcribe(@Auth AuthenticatedUser user, @PathParam("recording_id") String recordingId) {
        return Response.accepted(RecordingResponse.of(transcriptions.request(callers.of(user), recordingId), null))
                .build();
    }
}
