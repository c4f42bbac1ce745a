package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.LobbyEntryResponse;
import io.tribune.api.api.MessageResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.MeetingAccess;
import io.tribune.api.core.MeetingJoiner;
import io.tribune.api.core.MeetingLobby;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/meetings/{meeting_id}/lobby}: hosts and co-hosts list who waits and admit or deny them; a
 * waiting client polls its own entry with its lobby ticket ({@code X-Lobby-Token}) and receives the join
 * response once let in. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/lobby")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingLobbyResource {

    public static final String LOBBY_TOKEN_HEADER = "X-Lobby-Token";

    private final MeetingScheduler scheduler;
    private final MeetingLobby lobby;
    private final MeetingJoiner joiner;
    private final Callers callers;
    private final JoinCallers joinCallers;

    MeetingLobbyResource(MeetingScheduler scheduler, MeetingLobby lobby, MeetingJoiner joiner, Callers callers,
                         JoinCallers joinCallers) {
        this.scheduler = scheduler;
        this.lobby = lobby;
        this.joiner = joiner;
        this.callers = callers;
        this.joinCallers = joinCallers;
    }

    @GET
    public LobbyEntryResponse.Listing list(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId) {
        moderate(user, meetingId);
        List<LobbyEntryResponse> waiting = lobby.list(meetingId).stream().map(w -> new LobbyEntryResponse(
                w.entry().participantId(), w.entry().userId(), w.entry().displayName(), w.entry().role(),
                (w.entry().needsAdmission() ? MeetingLobby.Reason.AWAITING_ADMISSION
                        : MeetingLobby.Reason.WAITING_FOR_HOST).wireName(),
                w.decision().filter(d -> d == MeetingLobby.Decision.ADMITTED).isPresent(),
                Instant.ofEpochMilli(w.entry().since()))).toList();
        return new LobbyEntryResponse.Listing(meetingId, waiting);
    }

    @GET
    @Path("/{participant_id}")
    public Response poll(@PathParam("meeting_id") String meetingId,
                         @PathParam("participant_id") String participantId,
                         @HeaderParam(LOBBY_TOKEN_HEADER) String lobbyToken) {
        return joinCallers.respond(joiner.poll(meetingId, participantId, lobbyToken));
    }

    @POST
    @Path("/{participant_id}/admit")
    public MessageResponse admit(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                 @PathParam("participant_id") String participantId) {
        decide(user, meetingId, participantId, MeetingLobby.Decision.ADMITTED);
        return new MessageResponse("Participant admitted");
    }

    @POST
    @Path("/{participant_id}/deny")
    public MessageResponse deny(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                @PathParam("participant_id") String participantId) {
        decide(user, meetingId, participantId, MeetingLobby.Decision.DENIED);
        return new MessageResponse("Participant denied");
    }

    private void decide(AuthenticatedUser user, String meetingId, String participantId,
                        MeetingLobby.Decision decision) {
        moderate(user, meetingId);
        if (!lobby.decide(meetingId, participantId, decision)) {
            throw new ApiException(404, "lobby_entry_not_found", "Nobody waits in the lobby as " + participantId
                    + ".", Map.of("meeting_id", meetingId, "participant_id", participantId));
        }
    }

    private void moderate(AuthenticatedUser user, String meetingId) {
        MeetingAccess.of(scheduler.get(meetingId), callers.of(user)).requireModerate();
    }
}
