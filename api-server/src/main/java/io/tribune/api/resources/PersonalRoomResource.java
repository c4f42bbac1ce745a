package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.MeetingResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.auth.PlatformRole;
import io.tribune.api.core.Caller;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.MeetingRole;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.core.PersonalRooms;
import io.tribune.api.core.UserDirectory;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * {@code GET /api/v1/users/{user_id}/personal-room}: the person's permanent meeting room (created on first use).
 * For oneself (with the passcode) or an admin (without it). Thread-safe.
 */
@Path(ApiPaths.V1 + "/users/{user_id}/personal-room")
@Produces(MediaType.APPLICATION_JSON)
public final class PersonalRoomResource {

    private final PersonalRooms rooms;
    private final MeetingScheduler scheduler;
    private final UserDirectory users;
    private final Callers callers;
    private final MeetingViews views;

    PersonalRoomResource(PersonalRooms rooms, MeetingScheduler scheduler, UserDirectory users, Callers callers,
                         MeetingViews views) {
        this.rooms = rooms;
        this.scheduler = scheduler;
        this.users = users;
        this.callers = callers;
        this.views = views;
    }

    @GET
    public MeetingResponse get(@Auth AuthenticatedUser user, @PathParam("user_id") String userId) {
        if (!user.isSelfOrAdmin(userId)) {
            throw new ApiException(403, "forbidden", "You can only see your own personal room.",
                    Map.of("user_id", userId));
        }
        boolean self = user.userId().equals(userId);
        Caller owner;
        if (self) {
            owner = callers.of(user);
        } else {
            UserDirectory.UserProfile profile = users.find(userId).orElseThrow(() -> new ApiException(404,
                    "user_not_found", "No user " + userId + ".", Map.of("user_id", userId)));
            owner = new Caller(profile.userId(), PlatformRole.MEMBER, profile.email(),
                    profile.displayName());
        }
        Meeting room = rooms.roomOf(owner);
        return views.meeting(room, self ? MeetingRole.HOST : null, self ? scheduler.passcode(room) : null);
    }
}
