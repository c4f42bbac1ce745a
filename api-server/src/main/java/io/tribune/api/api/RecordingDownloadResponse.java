package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A signed URL for one file of a recording, valid until {@code expires_at}; the origin answers it with
 * {@code Content-Disposition: attachment; filename="<file_name>"}. Immutable.
 */
public record RecordingDownloadResponse(
        @JsonProperty("url") String url,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("content_type") String contentType,
        @JsonProperty("size_bytes") long sizeBytes) {
}
