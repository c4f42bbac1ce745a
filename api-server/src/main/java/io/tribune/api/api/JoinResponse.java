package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * A successful join: the one-time {@code join_token} (ES256 JWT, valid until {@code expires_at}) and where to
 * use it: {@code signaling_url} and {@code ice_servers} for the SFU, or, for town-hall attendees, {@code hls_url}
 * instead of a signaling URL. {@code user_id} is null for guests; {@code participant_id} is the id the meeting
 * knows the person by (the user id, or a guest id). {@code rejoin_secret} comes only in the answer that admits a
 * guest from the lobby: with {@code participant_id} it lets that guest join again without waiting in the lobby for
 * the rest of the meeting (keep it like a password, for this meeting only). {@code recording} says the meeting is
 * being recorded: clients tell the person before they enter, and send their acknowledgement over the meeting
 * channel ({@code recording.acknowledge}). Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JoinResponse(
        @JsonProperty("meeting_id") String meetingId,
        @JsonProperty("user_id") @JsonInclude(JsonInclude.Include.ALWAYS) String userId,
        @JsonProperty("participant_id") String participantId,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("join_url") String joinUrl,
        @JsonProperty("join_token") String joinToken,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("signaling_url") String signalingUrl,
        @JsonProperty("hls_url") String hlsUrl,
        @JsonProperty("ice_servers") List<IceServer> iceServers,
        @JsonProperty("role") String role,
        @JsonProperty("permissions") List<String> permissions,
        @JsonProperty("mute_on_entry") boolean muteOnEntry,
        @JsonProperty("rejoin_secret") String rejoinSecret,
        @JsonProperty("recording") boolean recording) {

    /** The browser's {@code RTCIceServer}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IceServer(
            @JsonProperty("urls") List<String> urls,
            @JsonProperty("username") String username,
            @JsonProperty("credential") String credential) {
    }
}
