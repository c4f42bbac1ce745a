package io.tribune.sfu.signaling;

import io.tribune.sfu.room.TrackSource;
import java.util.List;

/**
 * A message from the client, as {@link SignalingCodec} read it. Every message may carry a request {@code id}
 * that the server echoes in its reply ({@code answer}, {@code published}, {@code ack}, {@code error}). Immutable.
 */
public sealed interface ClientMessage {

    /** The request id to echo, or null. */
    Long requestId();

    /** The first message: the join token from the api-server's join response. */
    record Join(Long requestId, String token) implements ClientMessage {
    }

    /** An SDP offer of the client's one peer connection (first, renegotiation, or ICE restart). */
    record Offer(Long requestId, String sdp) implements ClientMessage {
    }

    /** A trickled ICE candidate (RFC 8838); a null candidate means end of candidates. */
    record Trickle(Long requestId, String candidate, String sdpMid) implements ClientMessage {
    }

    /** Declares that the next offer's section {@code mid} publishes a track of this source. */
    record Publish(Long requestId, String mid, TrackSource source) implements ClientMessage {
    }

    record Unpublish(Long requestId, String trackId) implements ClientMessage {
    }

    /** {@code mute} and {@code unmute}. */
    record Mute(Long requestId, String trackId, boolean muted) implements ClientMessage {
    }

    /** Subscription preferences per track; stored now, used by layer selection later. */
    record Subscribe(Long requestId, List<Preference> preferences) implements ClientMessage {
        public Subscribe {
            preferences = List.copyOf(preferences);
        }
    }

    /**
     * @param maxWidth the largest width the client wants to render, in pixels, or null
     * @param maxHeight the largest height, or null
     * @param layer {@code low}, {@code medium}, {@code high}, or null for automatic
     */
    record Preference(String trackId, Integer maxWidth, Integer maxHeight, String layer) {
    }

    record Leave(Long requestId) implements ClientMessage {
    }

    /** Keep-alive; answered with {@code pong}. */
    record Ping(Long requestId) implements ClientMessage {
    }
}
