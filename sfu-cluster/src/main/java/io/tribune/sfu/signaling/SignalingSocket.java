package io.tribune.sfu.signaling;

import io.tribune.common.token.InvalidTokenException;
import io.tribune.sfu.ice.IceCandidate;
import io.tribune.sfu.room.Negotiated;
import io.tribune.sfu.room.Participant;
import io.tribune.sfu.room.ParticipantEvents;
import io.tribune.sfu.room.ParticipantInfo;
import io.tribune.sfu.room.RoomException;
import io.tribune.sfu.room.Rooms;
import io.tribune.sfu.room.TrackInfo;
import io.tribune.sfu.sdp.SdpParseException;
import io.tribune.sfu.sdp.WebRtcOffer;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One client's signaling connection. The first message must be {@code join} with a valid join token (within
 * {@link SignalingSettings#joinTimeoutMillis()}); then the client negotiates its one peer connection and
 * publishes, mutes and subscribes, and hears what happens in the room (the {@link ParticipantEvents}).
 *
 * <pre>
 *   Jetty thread (one message at a time)       room events (any thread)
 *   rate limit -> SignalingCodec.parse         ParticipantEvents -> send (serialised)
 *     -> join / offer / publish / ... -> Room
 *     -> reply (answer, published, ack, error)
 * </pre>
 *
 * <p>Thread-safety: Jetty calls the listener methods one at a time; {@link #send} is synchronized so that room
 * events from other threads and replies keep their order on the wire. Bad input is answered with an
 * {@code error} message and never closes the connection, except before a successful join, on a flood, and on a
 * refused token.
 */
public final class SignalingSocket implements Session.Listener.AutoDemanding, ParticipantEvents {

    private static final Logger LOGGER = Logger.getLogger(SignalingSocket.class.getName());
    /** WebSocket close code for a refused join token (the 4000-4999 range is the application's, RFC 6455 §7.4.2). */
    public static final int CLOSE_UNAUTHORIZED = 4001;
    /** The room removed the participant (media died, replaced by a newer connection). */
    public static final int CLOSE_REMOVED = 4002;

    private final Rooms rooms;
    private final JoinTokens tokens;
    private final SignalingSettings settings;
    private final ScheduledExecutorService scheduler;
    private final MessageRateLimiter limiter;
    private volatile Session session;
    private volatile Participant participant;
    private ScheduledFuture<?> joinDeadline;
    private long refused;

    public SignalingSocket(Rooms rooms, JoinTokens tokens, SignalingSettings settings,
                           ScheduledExecutorService scheduler, Clock clock) {
        this.rooms = rooms;
        this.tokens = tokens;
        this.settings = settings;
        this.scheduler = scheduler;
        this.limiter = new MessageRateLimiter(clock, settings.messagesPerSecond(), settings.burst());
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        this.session = opened;
        joinDeadline = scheduler.schedule(() -> {
            if (participant == null) {
                close(StatusCode.POLICY_VIOLATION, "join timeout");
            }
        }, settings.joinTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onWebSocketText(String text) {
        if (!limiter.tryAcquire()) {
            refused++;
            if (refused == 1 || refused % 100 == 0) {
                send(SignalingCodec.error(null, "rate_limited", "too many messages; " + refused + " dropped"));
            }
            if (refused >= settings.floodCloseAfter()) {
                close(StatusCode.POLICY_VIOLATION, "flood");
            }
            return;
        }
        ClientMessage message;
        try {
            message = SignalingCodec.parse(text);
        } catch (SignalingException e) {
            send(SignalingCodec.error(null, e.code(), e.getMessage()));
            return;
        }
        try {
            handle(message);
        } catch (RoomException e) {
            send(SignalingCodec.error(message.requestId(), e.code(), e.getMessage()));
        } catch (SignalingException e) {
            send(SignalingCodec.error(message.requestId(), e.code(), e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "signaling: " + message.getClass().getSimpleName() + " failed", e);
            send(SignalingCodec.error(message.requestId(), "internal", "the server could not do that"));
        }
    }

    private void handle(ClientMessage message) throws RoomException, SignalingException, IOException {
        Participant self = participant;
        if (message instanceof ClientMessage.Join join) {
            join(join);
            return;
        }
        if (message instanceof ClientMessage.Ping ping) {
            send(SignalingCodec.pong(ping.requestId()));
            return;
        }
        if (self == null) {
            throw new SignalingException("join_first", "the first message must be join");
        }
        if (message instanceof ClientMessage.Offer offer) {
            WebRtcOffer parsed;
            try {
                parsed = WebRtcOffer.parse(offer.sdp());
            } catch (SdpParseException e) {
                throw new SignalingException("bad_sdp", e.getMessage());
            }
            Negotiated negotiated = self.room().negotiate(self, parsed);
            send(SignalingCodec.answer(offer.requestId(), negotiated.answer(), negotiated.subscriptions()));
        } else if (message instanceof ClientMessage.Publish publish) {
            String trackId = self.room().publish(self, publish.mid(), publish.source());
            send(SignalingCodec.published(publish.requestId(), publish.mid(), trackId));
        } else if (message instanceof ClientMessage.Unpublish unpublish) {
            self.room().unpublish(self, unpublish.trackId());
            send(SignalingCodec.ack(unpublish.requestId()));
        } else if (message instanceof ClientMessage.Mute mute) {
            self.room().setMuted(self, mute.trackId(), mute.muted());
            send(SignalingCodec.ack(mute.requestId()));
        } else if (message instanceof ClientMessage.Subscribe subscribe) {
            for (ClientMessage.Preference preference : subscribe.preferences()) {
                Map<String, Object> stored = new HashMap<>();
                Optional.ofNullable(preference.maxWidth()).ifPresent(v -> stored.put("max_width", v));
                Optional.ofNullable(preference.maxHeight()).ifPresent(v -> stored.put("max_height", v));
                Optional.ofNullable(preference.layer()).ifPresent(v -> stored.put("layer", v));
                Optional.ofNullable(preference.pinned()).ifPresent(v -> stored.put("pinned", v));
                self.room().setPreference(self, preference.trackId(), stored);
            }
            if (subscribe.lastN() != null) {
                self.room().setLastN(self, subscribe.lastN());
            }
            send(SignalingCodec.ack(subscribe.requestId()));
        } else if (message instanceof ClientMessage.Trickle trickle) {
            if (trickle.candidate() != null && !trickle.candidate().isEmpty()) {
                IceCandidate candidate = IceCandidate.parse(trickle.candidate())
                        .orElseThrow(() -> new SignalingException("bad_request", "unreadable candidate"));
                self.room().addRemoteCandidate(self, candidate);
            }
            send(SignalingCodec.ack(trickle.requestId()));
        } else if (message instanceof ClientMessage.Leave leave) {
            participant = null;
            rooms.leave(self, "left");
            send(SignalingCodec.ack(leave.requestId()));
            close(StatusCode.NORMAL, "left");
        } else {
            throw new SignalingException("unknown_type", "unexpected message");
        }
    }

    private void join(ClientMessage.Join join) {
        if (participant != null) {
            send(SignalingCodec.error(join.requestId(), "already_joined", "this connection already joined"));
            return;
        }
        JoinGrant grant;
        try {
            grant = tokens.verify(join.token());
        } catch (InvalidTokenException e) {
            send(SignalingCodec.error(join.requestId(), "unauthorized", e.getMessage()));
            close(CLOSE_UNAUTHORIZED, "unauthorized: " + e.reason());
            return;
        }
        Rooms.Joined joined = rooms.join(grant.room(), grant.participantId(), grant.name(), grant.role(),
                grant.permissions(), this);
        participant = joined.participant();
        if (joinDeadline != null) {
            joinDeadline.cancel(false);
        }
        send(SignalingCodec.joined(join.requestId(), grant.participantId(), grant.room(), grant.role(),
                grant.permissions().stream().sorted().toList(), joined.others(), joined.activeSpeaker()));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        Participant self = participant;
        participant = null;
        if (self != null) {
            rooms.leave(self, "disconnected");
        }
        if (joinDeadline != null) {
            joinDeadline.cancel(false);
        }
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOGGER.log(Level.FINE, "signaling connection error", cause);
    }

    /** Sends one message; ordered with every other. Never blocks: Jetty queues the frame. */
    private synchronized void send(String text) {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.sendText(text, Callback.NOOP);
        }
    }

    private void close(int code, String reason) {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(code, reason, Callback.NOOP);
        }
    }

    // Room events.

    @Override
    public void participantJoined(ParticipantInfo joined) {
        send(SignalingCodec.participantJoined(joined));
    }

    @Override
    public void participantLeft(String participantId, String reason) {
        send(SignalingCodec.participantLeft(participantId, reason));
    }

    @Override
    public void trackPublished(TrackInfo track) {
        send(SignalingCodec.trackPublished(track));
    }

    @Override
    public void trackUnpublished(String participantId, String trackId) {
        send(SignalingCodec.trackUnpublished(participantId, trackId));
    }

    @Override
    public void trackMuted(String participantId, String trackId, boolean muted) {
        send(SignalingCodec.trackMuted(participantId, trackId, muted));
    }

    @Override
    public void layerChanged(String trackId, String layer, int width, int height) {
        send(SignalingCodec.quality(trackId, layer, width, height));
    }

    @Override
    public void activeSpeaker(String participantId) {
        send(SignalingCodec.activeSpeaker(participantId));
    }

    @Override
    public void speaking(List<Map.Entry<String, Double>> speakers) {
        send(SignalingCodec.speaking(speakers));
    }

    @Override
    public void trackPaused(String participantId, String trackId, boolean paused, String reason) {
        send(SignalingCodec.trackPaused(participantId, trackId, paused, reason));
    }

    @Override
    public void removed(String reason) {
        participant = null;
        send(SignalingCodec.removed(reason));
        close(CLOSE_REMOVED, reason.length() > 100 ? reason.substring(0, 100) : reason);
    }
}
