package io.tribune.api.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tribune.api.core.MeetingFiles;

import java.time.Instant;

/**
 * A file shared in a meeting, as members see it: {@code url} is a signed download link on this API that expires
 * (ask the channel for the meeting again to get a fresh one).
 */
public record SharedFileResponse(
        @JsonProperty("file_id") String fileId,
        @JsonProperty("name") String name,
        @JsonProperty("content_type") String contentType,
        @JsonProperty("size") long size,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("uploaded_by") String uploadedBy,
        @JsonProperty("uploader_name") String uploaderName,
        @JsonProperty("timestamp") Instant timestamp,
        @JsonProperty("url") String url) {

    public static SharedFileResponse of(MeetingFiles.SharedFile file, String url) {
        return new SharedFileResponse(file.fileId(), file.name(), file.contentType(), file.size(), file.sha256(),
                file.uploaderId(), file.uploaderName(), file.createdAt(), url);
    }
}
