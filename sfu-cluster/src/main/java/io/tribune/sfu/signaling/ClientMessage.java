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

    /**
     * Subscription preferences per track, and optionally how many of the most recent dominant speakers' cameras
     * to receive ({@code lastN}: -1 for all; null leaves it as it was).
     */
    record Subscribe(Long requestId, List<Preference> preferences, Integer lastN) implements ClientMessage {
        public Subscribe {
            preferences = List.copyOf(preferences);
        }
    }

    /**
     * @param maxWidth the largest width the client wants to render, in pixels, or null
     * @param maxHeight the largest height, or null
     * @param layer {@code low}, {@code medium}, {@code high}, or null for automatic
     * @param pinned whether the track is always received, whatever last-N says; null counts as false
     */
    record Preference(String trackId, Integer maxWidth, Integer maxHeight, String layer, Boolean pinned) {
    }

    record Leave(Long requestId) implements ClientMessage {
    }

    /** Keep-alive; answered with {@code pong}. */
    record Ping(Long requestId) implements ClientMessage {
    }
}
