package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code POST /api/v1/recordings/{id}/playback}: signed URLs of the composed MP4, its poster and its thumbnails
 * track, all under one CloudFront custom policy over {@code <media base>/recordings/<id>/view/*} that expires at
 * {@code expires_at}. {@code signed_query} is that policy's query ({@code Policy=...&Signature=...&Key-Pair-Id=...};
 * empty where playback is unsigned): append {@code "?" + signed_query} to URLs derived under {@code view/} (the
 * thumbnail sprite the WebVTT names). {@code poster_url} and {@code thumbnails_vtt_url} are null when the archive
 * made none. Immutable.
 */
public record RecordingPlaybackResponse(
        @JsonProperty("recording_id") String recordingId,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("video_url") String videoUrl,
        @JsonProperty("poster_url") String posterUrl,
        @JsonProperty("thumbnails_vtt_url") String thumbnailsVttUrl,
        @JsonProperty("signed_query") String signedQuery) {
}
