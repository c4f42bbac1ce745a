package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.TranscriptFormats;
import io.tribune.api.core.Transcripts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code GET /api/v1/recordings/{recording_id}/transcript?format=json|vtt|srt|txt}: the phrases said while the
 * recording ran, offsets from its start (so cues line up with its video), for those who may play the recording
 * (404 for others). {@code POST .../transcript/summary/send}: mails the summary to the participants who
 * acknowledged the recording with an account (host, co-hosts, admins) -> {@code {"recipients": n}}. Thread-safe.
 */
@Path(ApiPaths.V1 + "/recordings/{recording_id}/transcript")
public final class RecordingTranscriptResource {

    private final Transcripts transcripts;
    private final Callers callers;

    RecordingTranscriptResource(Transcripts transcripts, Callers callers) {
        this.transcripts = transcripts;
        this.callers = callers;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/vtt", "application/x-subrip", MediaType.TEXT_PLAIN})
    public Response get(@Auth AuthenticatedUser user, @PathParam("recording_id") String recordingId,
                        @QueryParam("format") String format) {
        TranscriptFormats.Format wanted = TranscriptResources.format(format);
        return TranscriptResources.render(transcripts.ofRecording(callers.of(user), recordingId), wanted,
                "transcript-" + recordingId);
    }

    @POST
    @Path("/summary/send")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Integer> sendSummary(@Auth AuthenticatedUser user,
                                            @PathParam("recording_id") String recordingId) {
        return Map.of("recipients", transcripts.sendSummary(callers.of(user), recordingId));
    }
}
