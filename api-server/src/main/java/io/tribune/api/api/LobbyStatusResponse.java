package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * 202 answer to a join that has to wait: {@code status} is {@code lobby}; {@code reason} is
 * {@code awaiting_admission} (a host or co-host must admit) or {@code waiting_for_host}. The client polls
 * {@code poll_url} with header {@code X-Lobby-Token: <lobby_token>} (only in the first answer) every
 * {@code poll_after_seconds}, and gets the join response once let in. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LobbyStatusResponse(
        @JsonProperty("status") String status,
        @JsonProperty("meeting_id") String meetingId,
        @JsonProperty("participant_id") String participantId,
        @JsonProperty("reason") String reason,
        @JsonProperty("lobby_token") String lobbyToken,
        @JsonProperty("poll_url") String pollUrl,
        @JsonProperty("poll_after_seconds") int pollAfterSeconds) {
}
