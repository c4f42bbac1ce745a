package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.LockResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.JoinRateLimiter;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.MeetingScheduler;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/v1/meetings/{meeting_id}/lock} and {@code /unlock} (hosts and co-hosts): a locked meeting
 * lets nobody else in. Unlocking also ends the lock that too many wrong passcodes set, and forgets those
 * failures. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/{action: lock|unlock}")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingLockResource {

    private final MeetingScheduler scheduler;
    private final JoinRateLimiter limiter;
    private final Callers callers;

    MeetingLockResource(MeetingScheduler scheduler, JoinRateLimiter limiter, Callers callers) {
        this.scheduler = scheduler;
        this.limiter = limiter;
        this.callers = callers;
    }

    @POST
    public LockResponse lockOrUnlock(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                     @PathParam("action") String action) {
        boolean lock = "lock".equals(action);
        Meeting meeting = scheduler.setLocked(callers.of(user), meetingId, lock);
        if (!lock) {
            limiter.resetMeeting(meeting.id());
        }
        return new LockResponse(meeting.id(), lock, lock ? "Meeting locked" : "Meeting unlocked");
    }
}
