package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.core.TownHallBroadcasts;

import java.time.Instant;

/**
 * A town hall's broadcast: {@code state} is {@code idle} (never started), {@code live} or {@code stopped};
 * {@code hls_url} is the multivariant playlist the audience plays (with the cookies of
 * {@code /broadcast/playback}); {@code viewer_count} counts audience members connected to the meeting channel.
 * Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BroadcastResponse(
        @JsonProperty("meeting_id") String meetingId,
        @JsonProperty("state") String state,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("started_by") String startedBy,
        @JsonProperty("stopped_at") Instant stoppedAt,
        @JsonProperty("stopped_by") String stoppedBy,
        @JsonProperty("hls_url") String hlsUrl,
        @JsonProperty("viewer_count") long viewerCount) {

    public static BroadcastResponse of(TownHallBroadcasts.Broadcast broadcast, String hlsUrl, long viewers) {
        return new BroadcastResponse(broadcast.meetingId(), broadcast.state().wireName(), broadcast.startedAt(),
                broadcast.startedBy(), broadcast.stoppedAt(), broadcast.stoppedBy(), hlsUrl, viewers);
    }
}
