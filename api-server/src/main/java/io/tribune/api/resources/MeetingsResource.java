package io.tribune.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import io.tribune.api.api.CreateMeetingRequest;
import io.tribune.api.api.MeetingListResponse;
import io.tribune.api.api.MeetingResponse;
import io.tribune.api.api.MessageResponse;
import io.tribune.api.api.UpdateMeetingRequest;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Caller;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.MeetingAccess;
import io.tribune.api.core.MeetingListing;
import io.tribune.api.core.MeetingRole;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.core.TimeInput;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code /api/v1/meetings}: schedule ({@code POST}), list mine ({@code GET}), read, edit and cancel one. Access
 * rules are {@link MeetingAccess}'s. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingsResource {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    static final Duration MAX_WINDOW = Duration.ofDays(366);

    private final MeetingScheduler scheduler;
    private final MeetingListing listing;
    private final Callers callers;
    private final MeetingRequests requests;
    private final MeetingViews views;
    private final ObjectMapper mapper;
    private final Clock clock;

    MeetingsResource(MeetingScheduler scheduler, MeetingListing listing, Callers callers, MeetingRequests requests,
                     MeetingViews views, ObjectMapper mapper, Clock clock) {
        this.scheduler = scheduler;
        this.listing = listing;
        this.callers = callers;
        this.requests = requests;
        this.views = views;
        this.mapper = mapper;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Auth AuthenticatedUser user, CreateMeetingRequest request) {
        Caller caller = callers.of(user);
        Meeting meeting = scheduler.create(caller, requests.create(request, caller));
        return Response.created(URI.create(ApiPaths.V1 + "/meetings/" + meeting.id()))
                .entity(views.meeting(meeting, MeetingRole.HOST, scheduler.passcode(meeting)))
                .build();
    }

    @GET
    public MeetingListResponse list(@Auth AuthenticatedUser user, @QueryParam("from") String from,
                                    @QueryParam("to") String to, @QueryParam("page") String page,
                                    @QueryParam("size") String size) {
        Instant start = from == null ? clock.instant() : TimeInput.parse("from", from, ZoneId.of("UTC"));
        Instant end = to == null ? start.plus(DEFAULT_WINDOW) : TimeInput.parse("to", to, ZoneId.of("UTC"));
        if (!end.isAfter(start)) {
            throw TimeInput.invalid("to", "must be after from");
        }
        if (Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
            throw TimeInput.invalid("to", "must be at most " + MAX_WINDOW.toDays() + " days after from");
        }
        int pageNumber = number("page", page, 1, 1, 100_000);
        int pageSize = number("size", size, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        MeetingListing.Page result = listing.list(callers.of(user), start, end, pageNumber, pageSize);
        List<MeetingListResponse.Item> items = result.items().stream().map(views::item).toList();
        return new MeetingListResponse(items, pageNumber, pageSize, result.total(), start, end);
    }

    @GET
    @Path("/{meeting_id}")
    public MeetingResponse get(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId) {
        MeetingAccess access = MeetingAccess.of(scheduler.get(meetingId), callers.of(user)).requireView();
        return view(access);
    }

    @PATCH
    @Path("/{meeting_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public MeetingResponse update(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                  JsonNode body) throws JsonProcessingException {
        UpdateMeetingRequest request = body == null ? null : mapper.treeToValue(body, UpdateMeetingRequest.class);
        Caller caller = callers.of(user);
        Meeting updated = scheduler.update(caller, meetingId, requests.update(request, body));
        return view(MeetingAccess.of(updated, caller));
    }

    @DELETE
    @Path("/{meeting_id}")
    public MessageResponse cancel(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                  @QueryParam("occurrence") String occurrence) {
        scheduler.cancel(callers.of(user), meetingId, occurrence);
        return new MessageResponse(occurrence == null ? "Meeting cancelled successfully"
                : "Occurrence cancelled successfully");
    }

    private MeetingResponse view(MeetingAccess access) {
        Meeting meeting = access.meeting();
        return views.meeting(meeting, access.role().orElse(null),
                access.canSeePasscode() ? scheduler.passcode(meeting) : null);
    }

    static int number(String field, String value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw TimeInput.invalid(field, "must be a whole number from " + min + " to " + max);
    }
}
