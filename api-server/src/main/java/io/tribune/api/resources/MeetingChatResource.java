package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.ChatMessageResponse;
import io.tribune.api.api.ChatRequest;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.channel.ChannelServer;
import io.tribune.api.core.Caller;
import io.tribune.api.core.ChatMessage;
import io.tribune.api.core.MeetingAccess;
import io.tribune.api.core.MeetingChat;
import io.tribune.api.core.MeetingErrors;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.Consumes;
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
 * {@code /api/v1/meetings/{meeting_id}/chat}: post a message ({@code POST}, as in the seed) and read the history
 * ({@code GET ?after=&limit=}) for people who may see the meeting (host, invitees, admins). Live participants,
 * guests included, chat over the meeting channel; a message posted here reaches them there too. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/chat")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingChatResource {

    private final MeetingScheduler scheduler;
    private final MeetingChat chat;
    private final ChannelServer channel;
    private final Callers callers;

    MeetingChatResource(MeetingScheduler scheduler, MeetingChat chat, ChannelServer channel, Callers callers) {
        this.scheduler = scheduler;
        this.chat = chat;
        this.channel = channel;
        this.callers = callers;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                         ChatRequest request) {
        if (request == null) {
            throw new ApiException(400, "invalid_request", "The body must be a JSON object.", Map.of());
        }
        Caller caller = callers.of(user);
        if (request.userId() != null && !request.userId().equals(caller.userId())) {
            throw new ApiException(403, "forbidden", "user_id must be your own user id.",
                    Map.of("user_id", "must be your own user id"));
        }
        MeetingAccess access = MeetingAccess.of(scheduler.get(meetingId), caller).requireView();
        if (access.meeting().cancelled()) {
            throw MeetingErrors.cancelled(meetingId);
        }
        MeetingChat.Sent sent = chat.send(new MeetingChat.Draft(meetingId, caller.userId(), caller.displayName(),
                request.to(), request.clientId(), request.message()));
        if (sent.created()) {
            channel.announce(sent.message());
        }
        return Response.status(sent.created() ? 201 : 200).entity(view(sent.message())).build();
    }

    @GET
    public ChatMessageResponse.Page history(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId,
                                            @QueryParam("after") Long after, @QueryParam("limit") Integer limit) {
        Caller caller = callers.of(user);
        MeetingAccess.of(scheduler.get(meetingId), caller).requireView();
        long from = after == null ? 0 : Math.max(0, after);
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MeetingChat.MAX_HISTORY) {
            throw new ApiException(400, "invalid_request", "limit must be between 1 and " + MeetingChat.MAX_HISTORY
                    + ".", Map.of("limit", "must be between 1 and " + MeetingChat.MAX_HISTORY));
        }
        return new ChatMessageResponse.Page(chat.history(meetingId, caller.userId(), from, size).stream()
                .map(MeetingChatResource::view).toList(), from);
    }

    private static ChatMessageResponse view(ChatMessage message) {
        return new ChatMessageResponse(Long.toString(message.id()), message.senderId(), message.senderName(),
                message.recipientId(), message.body(), message.clientId(), message.createdAt());
    }
}
