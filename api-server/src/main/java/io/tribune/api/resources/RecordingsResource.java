package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.LegalHoldRequest;
import io.tribune.api.api.PageResponse;
import io.tribune.api.api.RecordingDownloadRequest;
import io.tribune.api.api.RecordingDownloadResponse;
import io.tribune.api.api.RecordingPlaybackResponse;
import io.tribune.api.api.RecordingResponse;
import io.tribune.api.api.RecordingSharingRequest;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Caller;
import io.tribune.api.core.Recording;
import io.tribune.api.core.RecordingCatalogue;
import io.tribune.api.core.RecordingPlayback;
import io.tribune.api.core.TimeInput;
import io.tribune.api.errors.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The recordings catalogue: {@code GET /api/v1/recordings?meeting_id=&host_id=&from=&to=&status=&page=&size=}
 * (newest first; hosts see their meetings' recordings, admins all), {@code GET /api/v1/recordings/{id}} (with the
 * participants' acknowledgements), {@code DELETE /api/v1/recordings/{id}} (host, co-hosts, admins; 409
 * {@code legal_hold} under legal hold), {@code PUT /api/v1/recordings/{id}/legal_hold} {@code {legal_hold}}
 * (admins), {@code PUT /api/v1/recordings/{id}/sharing} {@code {participants}} (host, co-hosts, admins), and the
 * signed URLs of {@code POST /api/v1/recordings/{id}/playback} and {@code POST .../download} {@code {file}}
 * (audited). Thread-safe.
 */
@Path(ApiPaths.V1 + "/recordings")
@Produces(MediaType.APPLICATION_JSON)
public final class RecordingsResource {

    private final RecordingCatalogue catalogue;
    private final RecordingPlayback playback;
    private final Callers callers;

    RecordingsResource(RecordingCatalogue catalogue, RecordingPlayback playback, Callers callers) {
        this.catalogue = catalogue;
        this.playback = playback;
        this.callers = callers;
    }

    @GET
    public PageResponse<RecordingResponse> list(
            @Auth AuthenticatedUser user,
            @QueryParam("meeting_id") String meetingId,
            @QueryParam("host_id") String hostId,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("status") String status,
            @QueryParam("page") @DefaultValue("1") @Pattern(regexp = Paging.PAGE, message = Paging.PAGE_MESSAGE)
            String page,
            @QueryParam("size") @DefaultValue("50") @Pattern(regexp = Paging.SIZE, message = Paging.SIZE_MESSAGE)
            String size) {
        Caller caller = callers.of(user);
        RecordingCatalogue.Filter filter = new RecordingCatalogue.Filter(blankToNull(meetingId),
                blankToNull(hostId), instant("from", from), instant("to", to), status(status));
        PageResponse<RecordingCatalogue.View> found = catalogue.list(caller, filter, Integer.parseInt(page),
                Integer.parseInt(size));
        return new PageResponse<>(found.items().stream().map(v -> RecordingResponse.of(v, null)).toList(),
                found.page(), found.size(), found.total());
    }

    @GET
    @Path("/{recording_id}")
    public RecordingResponse get(@Auth AuthenticatedUser user, @PathParam("recording_id") String recordingId) {
        RecordingCatalogue.View view = catalogue.get(callers.of(user), recordingId);
        return RecordingResponse.of(view, catalogue.consents(recordingId));
    }

    @DELETE
    @Path("/{recording_id}")
    public Response delete(@Auth AuthenticatedUser user, @PathParam("recording_id") String recordingId) {
        catalogue.delete(callers.of(user), recordingId);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{recording_id}/legal_hold")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public RecordingResponse legalHold(@Auth AuthenticatedUser user, @PathParam("recording_id") String recordingId,
                                       LegalHoldRequest request) {
        if (request == null || request.legalHold() == null) {
            throw new ApiException(400, "invalid_request", "The body must be {\"legal_hold\": true|false}.",
                    Map.of("legal_hold", "is required"));
        }
        return RecordingResponse.of(catalogue.setLegalHold(callers.of(user), recordingId, request.legalHold()), null);
    }

    @PUT
    @Path("/{recording_id}/sharing")
    @Consumes(MediaType.APPLICATION_JSON)
    public RecordingResponse sharing(@Auth AuthenticatedUser user, @PathParam("recording_id") String recordingId,
                                     RecordingSharingRequest request) {
        if (request == null || request.participants() == null) {
            throw new ApiException(400, "invalid_request", "The body must be {\"participants\": true|false}.",
                    Map.of("participants", "is required"));
        }
        return RecordingResponse.of(catalogue.setSharing(callers.of(user), recordingId, request.participants()),
                null);
    }

    @POST
    @Path("/{recording_id}/playback")
    public RecordingPlaybackResponse playback(@Auth AuthenticatedUser user,
                                              @PathParam("recording_id") String recordingId) {
        return playback.playback(callers.of(user), recordingId);
    }

    @POST
    @Path("/{recording_id}/download")
    @Consumes(MediaType.APPLICATION_JSON)
    public RecordingDownloadResponse download(@Auth AuthenticatedUser user,
                                              @PathParam("recording_id") String recordingId,
                                              RecordingDownloadRequest request) {
        return playback.download(callers.of(user), recordingId, request == null ? null : request.file());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw TimeInput.invalid(field, "must be an ISO-8601 instant such as 2026-11-27T09:00:00Z");
        }
    }

    private static Recording.Status status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (Recording.Status status : Recording.Status.values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw TimeInput.invalid("status", "must be recording, processing, ready, failed or deleted");
    }
}
