package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.core.BroadcastPlayback;

import java.time.Instant;
import java.util.Map;

/**
 * What a viewer needs to play a town hall: {@code hls_url}, and the CloudFront signed {@code cookies} (name to
 * value) valid for every URL under {@code cookie_path} of the HLS host until {@code expires_at}; {@code signed_url}
 * is the playlist's URL with the same policy in its query, for players without cookies. Cookies and signed URL are
 * absent when the server does not sign playback. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlaybackResponse(
        @JsonProperty("hls_url") String hlsUrl,
        @JsonProperty("signed_url") String signedUrl,
        @JsonProperty("cookies") Map<String, String> cookies,
        @JsonProperty("cookie_path") String cookiePath,
        @JsonProperty("cookie_domain") String cookieDomain,
        @JsonProperty("expires_at") Instant expiresAt) {

    public static PlaybackResponse of(BroadcastPlayback.Pass pass) {
        String path = java.net.URI.create(pass.pathPrefix()).getRawPath();
        return new PlaybackResponse(pass.hlsUrl(), pass.signedUrl(), pass.cookies(), path,
                pass.cookieDomain().isEmpty() ? null : pass.cookieDomain(), pass.expiresAt());
    }
}
