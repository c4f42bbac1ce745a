package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.TranscriptFormats;
import io.tribune.api.core.Transcripts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/v1/meetings/{meeting_id}/transcript?format=json|vtt|srt|txt}: the meeting's whole transcript
 * (offsets from its first phrase) for those who may see the meeting (host, invitees, admins; 404 for others).
 * Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/transcript")
public final class MeetingTranscriptResource {

    private final Transcripts transcripts;
    private final Callers callers;

    MeetingTranscriptResource(Transcripts transcripts, Callers callers) {
        this.transcripts = transcripts;
        this.callers = callers;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/vtt", "application/x-subrip", MediaType.TEXT_PLAIN})
    public Response get(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                        @QueryParam("format") String format) {
        TranscriptFormats.Format wanted = TranscriptResources.format(format);
        return TranscriptResources.render(transcripts.ofMeeting(callers.of(user), meetingId), wanted,
                "transcript-" + meetingId);
    }
}
