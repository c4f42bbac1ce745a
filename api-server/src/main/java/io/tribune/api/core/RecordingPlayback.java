package io.tribune.api.core;

import io.tribune.api.api.RecordingDownloadResponse;
import io.tribune.api.api.RecordingPlaybackResponse;
import io.tribune.api.errors.ApiException;
import io.tribune.common.cdn.CloudFrontSigner;
import io.tribune.common.cdn.PemKeys;
import io.tribune.events.RecordingEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Signed, expiring URLs for watching and downloading recordings through the media origin (hls-packager's
 * {@code /recordings/}, CloudFront in production), after the catalogue's access check, each written to the audit
 * log ({@code recording.view}, {@code recording.download}: who, when, which recording and which file).
 *
 * <p>Signing uses the town halls' CDN settings ({@code meetings.playback}: key pair, lifetime) and media base URL
 * ({@code meetings.hlsBaseUrl}). Playback signs one custom policy over {@code <base>/recordings/<id>/view/*} so the
 * player can fetch the MP4's ranges, the poster, the WebVTT and the sprite with one query; a download signs exactly
 * one file's URL ({@code ...?download=1}), so it opens nothing else.
 *
 * <p>Who: playing and downloading the composed MP4 is for everyone who may see the recording (its managers and,
 * once shared, the meeting's participants); per-track files are for its managers only. Thread-safe.
 */
public final class RecordingPlayback {

    public static final String FILE_COMPOSED = "composed";
    static final String KIND_COMPOSED = "composed";
    static final String KIND_POSTER = "poster";
    static final String KIND_THUMBNAILS_VTT = "thumbnails_vtt";
    static final String KIND_TRACK = "track";

    private final Jdbi jdbi;
    private final RecordingCatalogue catalogue;
    private final AuditLog auditLog;
    private final String mediaBase;
    private final CloudFrontSigner signer;
    private final Duration ttl;
    private final Clock clock;

    public RecordingPlayback(Jdbi jdbi, RecordingCatalogue catalogue, AuditLog auditLog, MeetingLinks links,
                             PlaybackConfiguration configuration, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.catalogue = Objects.requireNonNull(catalogue);
        this.auditLog = Objects.requireNonNull(auditLog);
        this.mediaBase = links.mediaBaseUrl();
        this.clock = Objects.requireNonNull(clock);
        this.ttl = Duration.ofMillis(configuration.getTtl().toMilliseconds());
        this.signer = configuration.signed() ? new CloudFrontSigner(configuration.getKeyPairId(),
                readKey(Path.of(configuration.getPrivateKeyFile()))) : null;
    }

    /**
     * Signed URLs to watch a recording.
     *
     * @throws ApiException 404 {@code recording_not_found} when the caller may not see it, 404
     *                      {@code recording_not_playable} when there is no composed MP4 (yet)
     */
    public RecordingPlaybackResponse playback(Caller caller, String recordingId) {
        Recording recording = catalogue.get(caller, recordingId).recording();
        Recording.StoredFile video = file(recording, KIND_COMPOSED, null)
                .filter(f -> recording.status() == Recording.Status.READY)
                .orElseThrow(() -> new ApiException(404, "recording_not_playable", "Recording " + recordingId
                        + " has no playable video (yet).", Map.of("recording_id", recordingId,
                        "status", recording.status().wireName())));
        Instant expires = clock.instant().plus(ttl);
        String viewPrefix = mediaBase + "/" + RecordingEvents.Deleted.prefixOf(recordingId) + "view/";
        String query = "";
        if (signer != null) {
            String signed = signer.signUrl(url(video), viewPrefix + "*", expires);
            query = signed.substring(signed.indexOf('?') + 1);
        }
        String suffix = query.isEmpty() ? "" : "?" + query;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("meeting_id", recording.meetingId());
        details.put("file", FILE_COMPOSED);
        details.put("object_key", video.objectKey());
        details.put("expires_at", expires.toString());
        jdbi.useHandle(handle -> auditLog.record(handle, caller.userId(), "recording.view", "recording",
                recordingId, details));
        return new RecordingPlaybackResponse(recordingId, expires, url(video) + suffix,
                file(recording, KIND_POSTER, null).map(f -> url(f) + suffix).orElse(null),
                file(recording, KIND_THUMBNAILS_VTT, null).map(f -> url(f) + suffix).orElse(null), query);
    }

    /**
     * A signed URL to download one file: {@code composed} (the MP4) or a track by its id.
     *
     * @throws ApiException 400 without a file, 404 when the caller may not see the recording or it has no such
     *                      file, 403 for a track file asked by someone who does not manage the recording
     */
    public RecordingDownloadResponse download(Caller caller, String recordingId, String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw new ApiException(400, "invalid_request", "The body must be {\"file\": \"composed\"} or a track id.",
                    Map.of("file", "is required"));
        }
        RecordingCatalogue.View view = catalogue.get(caller, recordingId);
        Recording recording = view.recording();
        boolean composed = FILE_COMPOSED.equals(fileName);
        if (!composed && !view.canManage()) {
            throw new ApiException(403, "forbidden", "Only the meeting's host, its co-hosts or an admin may "
                    + "download a recording's tracks.", Map.of("recording_id", recordingId));
        }
        Recording.StoredFile file = (composed ? file(recording, KIND_COMPOSED, null)
                : file(recording, KIND_TRACK, fileName))
                .filter(f -> recording.status() == Recording.Status.READY)
                .orElseThrow(() -> new ApiException(404, "recording_file_not_found", "Recording " + recordingId
                        + " has no file " + fileName + ".", Map.of("recording_id", recordingId, "file", fileName)));
        Instant expires = clock.instant().plus(ttl);
        String url = url(file) + "?download=1";
        String signed = signer == null ? url : signer.signUrl(url, url, expires);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("meeting_id", recording.meetingId());
        details.put("file", fileName);
        details.put("object_key", file.objectKey());
        details.put("expires_at", expires.toString());
        jdbi.useHandle(handle -> auditLog.record(handle, caller.userId(), "recording.download", "recording",
                recordingId, details));
        String key = file.objectKey();
        return new RecordingDownloadResponse(signed, expires, key.substring(key.lastIndexOf('/') + 1),
                file.contentType(), file.sizeBytes());
    }

    private String url(Recording.StoredFile file) {
        return mediaBase + "/" + file.objectKey();
    }

    private static Optional<Recording.StoredFile> file(Recording recording, String kind, String trackId) {
        String prefix = RecordingEvents.Deleted.prefixOf(recording.id());
        return recording.files().stream()
                .filter(f -> kind.equals(f.kind()) && (trackId == null || trackId.equals(f.trackId())))
                // Only objects under the recording's own prefix: a signature never names another path.
                .filter(f -> f.objectKey() != null && f.objectKey().startsWith(prefix)
                        && !f.objectKey().contains(".."))
                .findFirst();
    }

    private static java.security.PrivateKey readKey(Path file) {
        try {
            return PemKeys.privateKey(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read meetings.playback.privateKeyFile " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("meetings.playback.privateKeyFile " + file
                    + " is not an RSA private key in PKCS#8 PEM: " + e.getMessage(), e);
        }
    }
}
