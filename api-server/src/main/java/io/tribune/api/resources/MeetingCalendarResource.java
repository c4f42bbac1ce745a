package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.CalendarFeeds;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.MeetingAccess;
import io.tribune.api.core.MeetingCalendar;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/meetings/{meeting_id}/invite.ics}: the meeting's calendar invite for its host and invitees
 * (and admins): {@code METHOD:REQUEST}, or {@code METHOD:CANCEL} once cancelled. The passcode is in the
 * description only for the host and co-hosts, who forward invites. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/invite.ics")
public final class MeetingCalendarResource {

    private final MeetingScheduler scheduler;
    private final MeetingCalendar calendar;
    private final CalendarFeeds feeds;
    private final Callers callers;

    MeetingCalendarResource(MeetingScheduler scheduler, MeetingCalendar calendar, CalendarFeeds feeds,
                            Callers callers) {
        this.scheduler = scheduler;
        this.calendar = calendar;
        this.feeds = feeds;
        this.callers = callers;
    }

    @GET
    @Produces({"text/calendar", "application/json"})
    public Response invite(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId) {
        MeetingAccess access = MeetingAccess.of(scheduler.get(meetingId), callers.of(user)).requireView();
        Meeting meeting = access.meeting();
        if (meeting.personalRoom()) {
            throw new ApiException(404, "no_calendar_entry", "A personal room has no schedule, so no invite.",
                    Map.of("meeting_id", meetingId));
        }
        String ics = calendar.invite(meeting, feeds.people(List.of(meeting)),
                access.canSeePasscode() ? scheduler.passcode(meeting) : null);
        // As a string header, so it goes out exactly as written (with the space before charset).
        return Response.ok(ics)
                .header(HttpHeaders.CONTENT_TYPE, MeetingCalendar.MEDIA_TYPE)
                .header("Content-Disposition", "inline; filename=\"" + meeting.id() + ".ics\"")
                .header("Cache-Control", "private, no-store")
                .build();
    }
}
