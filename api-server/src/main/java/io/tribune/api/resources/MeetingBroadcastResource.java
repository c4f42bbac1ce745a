package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.BroadcastResponse;
import io.tribune.api.api.PlaybackResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.channel.ChannelServer;
import io.tribune.api.core.BroadcastPlayback;
import io.tribune.api.core.Caller;
import io.tribune.api.core.MeetingLinks;
import io.tribune.api.core.TownHallBroadcasts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * {@code /api/v1/meetings/{meeting_id}/broadcast} of a town hall: its state and viewer count ({@code GET}, for
 * anyone who may see the meeting), {@code POST .../start} and {@code .../stop} (host and co-hosts; 403 for other
 * invitees, 409 {@code not_a_town_hall} for a meeting), and {@code GET .../playback}: the playlist URL with
 * CloudFront signed cookies over the event's path, also set with {@code Set-Cookie} for the HLS host. Live members
 * hear of a start or stop on the meeting channel ({@code broadcast.state}); the durable record goes to Kafka
 * through the outbox. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/broadcast")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingBroadcastResource {

    private final TownHallBroadcasts broadcasts;
    private final BroadcastPlayback playback;
    private final ChannelServer channel;
    private final MeetingLinks links;
    private final Callers callers;

    MeetingBroadcastResource(TownHallBroadcasts broadcasts, BroadcastPlayback playback, ChannelServer channel,
                             MeetingLinks links, Callers callers) {
        this.broadcasts = broadcasts;
        this.playback = playback;
        this.channel = channel;
        this.links = links;
        this.callers = callers;
    }

    @GET
    public BroadcastResponse state(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId) {
        return view(broadcasts.get(callers.of(user), meetingId));
    }

    @POST
    @Path("/start")
    public BroadcastResponse start(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId) {
        TownHallBroadcasts.Change change = broadcasts.start(callers.of(user), meetingId);
        if (change.changed()) {
            channel.announceBroadcast(change.broadcast().meetingId());
        }
        return view(change.broadcast());
    }

    @POST
    @Path("/stop")
    public BroadcastResponse stop(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId) {
        TownHallBroadcasts.Change change = broadcasts.stop(callers.of(user), meetingId);
        if (change.changed()) {
            channel.announceBroadcast(change.broadcast().meetingId());
        }
        return view(change.broadcast());
    }

    @GET
    @Path("/playback")
    public Response playback(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId) {
        Caller caller = callers.of(user);
        String id = broadcasts.get(caller, meetingId).meetingId();
        BroadcastPlayback.Pass pass = playback.pass(id);
        PlaybackResponse body = PlaybackResponse.of(pass);
        Response.ResponseBuilder response = Response.ok(body).header("Cache-Control", "no-store");
        boolean secure = pass.hlsUrl().startsWith("https:");
        int maxAge = (int) Math.max(0, Duration.between(Instant.now(), pass.expiresAt()).getSeconds());
        for (Map.Entry<String, String> cookie : pass.cookies().entrySet()) {
            // SameSite=None needs Secure; over plain http (the embedded origin) Lax still covers the origin on
            // another port of the same host, which is the same site.
            response.cookie(new NewCookie.Builder(cookie.getKey()).value(cookie.getValue()).path(body.cookiePath())
                    .domain(body.cookieDomain()).maxAge(maxAge).expiry(Date.from(pass.expiresAt())).secure(secure)
                    .httpOnly(true).sameSite(secure ? NewCookie.SameSite.NONE : NewCookie.SameSite.LAX).build());
        }
        return response.build();
    }

    private BroadcastResponse view(TownHallBroadcasts.Broadcast broadcast) {
        return BroadcastResponse.of(broadcast, links.hlsUrl(broadcast.meetingId()),
                channel.viewers(broadcast.meetingId()));
    }
}
