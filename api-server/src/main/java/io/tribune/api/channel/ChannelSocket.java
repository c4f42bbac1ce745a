package io.tribune.api.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One participant's meeting-channel WebSocket. The first message must be
 * {@code {"type":"auth","token":"<join token>","after":<last message id seen, optional>}} within
 * {@link ChannelSettings#authTimeoutMillis()}; the answer is a {@code welcome} (roster, permissions and the chat
 * history after {@code after}, so a reconnecting client misses nothing). Then every message goes to
 * {@link MeetingChannel}; mistakes are answered with {@code error} and the connection stays. Messages beyond the
 * rate limit are refused; a client that keeps sending after that (a burst of refusals, or refusals faster than a
 * few a second) is disconnected. Removal and the meeting's end close it.
 *
 * <p>Thread-safety: Jetty calls the listener one message at a time; {@link #send} is synchronized so events from
 * Redisson's threads and replies keep their order.
 */
public final class ChannelSocket implements Session.Listener.AutoDemanding, ChannelHub.Member {

    /** Close codes in the application's range (RFC 6455 §7.4.2). */
    static final int CLOSE_UNAUTHORIZED = 4001;
    static final int CLOSE_REMOVED = 4003;
    static final int CLOSE_ENDED = 4004;

    private static final Logger LOG = LoggerFactory.getLogger(ChannelSocket.class);

    private final MeetingChannel channel;
    private final ChannelTickets tickets;
    private final ChannelSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper json;
    private final ChannelRateLimiter limiter;
    /** Refused messages a connection may send (a burst, then a few a second) before it is cut off. */
    private final ChannelRateLimiter refusals;
    private final String connectionId = MeetingChannel.newConnectionId();
    private volatile Session session;
    private volatile ChannelTicket ticket;
    private ScheduledFuture<?> authDeadline;

    ChannelSocket(MeetingChannel channel, ChannelTickets tickets, ChannelSettings settings,
                  ScheduledExecutorService scheduler, ObjectMapper json) {
        this.channel = channel;
        this.tickets = tickets;
        this.settings = settings;
        this.scheduler = scheduler;
        this.json = json;
        this.limiter = new ChannelRateLimiter(settings.messagesPerSecond(), settings.burst());
        this.refusals = new ChannelRateLimiter(settings.messagesPerSecond() / 2, settings.floodCloseAfter());
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        session = opened;
        authDeadline = scheduler.schedule(() -> {
            if (ticket == null) {
                close(StatusCode.POLICY_VIOLATION, "no auth message in time");
            }
        }, settings.authTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onWebSocketText(String text) {
        long now = System.nanoTime();
        if (!limiter.tryAcquire(now)) {
            if (refusals.tryAcquire(now)) {
                error("rate_limited", "Too many messages; slow down.", null);
            } else {
                close(StatusCode.POLICY_VIOLATION, "too many messages");
            }
            return;
        }
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (Exception e) {
            error("invalid_json", "The message is not JSON.", null);
            return;
        }
        JsonNode typeNode = message == null ? null : message.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            error("invalid_message", "A message is a JSON object with a string type.", null);
            return;
        }
        String type = typeNode.asText();
        if (ticket == null) {
            authenticate(type, message);
            return;
        }
        try {
            ObjectNode reply = channel.handle(ticket, type, message);
            if (reply != null) {
                send(reply.toString());
            }
        } catch (ChannelException e) {
            error(e.code(), e.getMessage(), type);
        } catch (RuntimeException e) {
            LOG.warn("Channel message {} failed for {} in {}", type, ticket.participantId(), ticket.meetingId(), e);
            error("unavailable", "That did not work; try again.", type);
        }
    }

    private void authenticate(String type, JsonNode message) {
        if (!"auth".equals(type)) {
            error("unauthenticated", "Send {\"type\":\"auth\",\"token\":...} first.", type);
            return;
        }
        JsonNode token = message.get("token");
        try {
            if (token == null || !token.isTextual()) {
                throw new ChannelTickets.Refused("invalid_token", "auth needs the join token.");
            }
            ChannelTicket redeemed = tickets.redeem(token.asText());
            ticket = redeemed;
            if (authDeadline != null) {
                authDeadline.cancel(false);
            }
            send(channel.join(redeemed, connectionId, message.path("after").asLong(0), this).toString());
        } catch (ChannelTickets.Refused e) {
            error(e.code(), e.getMessage(), type);
            close(CLOSE_UNAUTHORIZED, e.code());
        } catch (RuntimeException e) {
            LOG.warn("Channel auth failed", e);
            error("unavailable", "The meeting channel is unavailable; try again.", type);
            close(StatusCode.SERVER_ERROR, "unavailable");
        }
    }

    @Override
    public void deliver(String event, JsonNode parsed) {
        send(event);
        String type = parsed.path("type").asText();
        ChannelTicket current = ticket;
        if (current == null) {
            return;
        }
        if (type.equals("participant.removed") && current.participantId().equals(parsed.path("participant_id")
                .asText())) {
            close(CLOSE_REMOVED, "removed");
        } else if (type.equals("meeting.ended")) {
            close(CLOSE_ENDED, "ended");
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (authDeadline != null) {
            authDeadline.cancel(false);
        }
        ChannelTicket current = ticket;
        if (current != null) {
            channel.leave(current, connectionId, this);
        }
        session = null;
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("Channel connection error", cause);
    }

    @Override
    public String meetingId() {
        return ticket.meetingId();
    }

    @Override
    public String participantId() {
        return ticket.participantId();
    }

    private void error(String code, String message, String requestType) {
        ObjectNode error = json.createObjectNode().put("type", "error").put("code", code).put("message", message);
        if (requestType != null) {
            error.put("request_type", requestType);
        }
        send(error.toString());
    }

    private synchronized void send(String text) {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.sendText(text, Callback.NOOP);
        }
    }

    private synchronized void close(int code, String reason) {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(code, reason, Callback.NOOP);
        }
    }
}
