package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.MeetingResponse;
import io.tribune.api.api.MessageResponse;
import io.tribune.api.api.RoleChangeRequest;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Caller;
import io.tribune.api.core.JoinRevocations;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.MeetingAccess;
import io.tribune.api.core.MeetingLobby;
import io.tribune.api.core.MeetingPresence;
import io.tribune.api.core.MeetingRole;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.core.TimeInput;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * {@code /api/v1/meetings/{meeting_id}/participants/{participant}}: change an invitee's role
 * ({@code PUT .../role}, emits {@code participant.role_changed}) and remove someone for good
 * ({@code POST .../ban}: their join tokens are refused everywhere through {@link JoinRevocations}). Hosts and
 * co-hosts only. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/participants")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingParticipantsResource {

    private final MeetingScheduler scheduler;
    private final JoinRevocations revocations;
    private final MeetingPresence presence;
    private final MeetingLobby lobby;
    private final Callers callers;
    private final MeetingViews views;

    MeetingParticipantsResource(MeetingScheduler scheduler, JoinRevocations revocations, MeetingPresence presence,
                                MeetingLobby lobby, Callers callers, MeetingViews views) {
        this.scheduler = scheduler;
        this.revocations = revocations;
        this.presence = presence;
        this.lobby = lobby;
        this.callers = callers;
        this.views = views;
    }

    @PUT
    @Path("/{participant}/role")
    @Consumes(MediaType.APPLICATION_JSON)
    public MeetingResponse changeRole(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                      @PathParam("participant") String participant, RoleChangeRequest request) {
        if (request == null || request.role() == null) {
            throw TimeInput.invalid("role", "is required");
        }
        MeetingRole role = MeetingRole.parse(request.role()).filter(MeetingRole.ASSIGNABLE::contains)
                .orElseThrow(() -> TimeInput.invalid("role", "must be co_host, panelist, participant or attendee"));
        Caller caller = callers.of(user);
        Meeting meeting = scheduler.changeRole(caller, meetingId, participant, role);
        MeetingAccess access = MeetingAccess.of(meeting, caller);
        return views.meeting(meeting, access.role().orElse(null),
                access.canSeePasscode() ? scheduler.passcode(meeting) : null);
    }

    @POST
    @Path("/{participant}/ban")
    public MessageResponse ban(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                               @PathParam("participant") String participant) {
        Meeting meeting = scheduler.get(meetingId);
        MeetingAccess.of(meeting, callers.of(user)).requireModerate();
        if (participant.equals(meeting.hostId())) {
            throw new ApiException(409, "cannot_remove_host", "The host cannot be removed from their meeting.",
                    Map.of("meeting_id", meetingId, "participant", participant));
        }
        revocations.revoke(meetingId, participant);
        presence.remove(meetingId, participant);
        lobby.leave(meetingId, participant);
        return new MessageResponse("Participant removed from the meeting");
    }
}
