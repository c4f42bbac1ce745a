package io.tribune.api.core;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One recording of a meeting, as the catalogue keeps it: who started and stopped it, where it stands, and what
 * recording-archive stored for it. Immutable.
 *
 * @param id             opaque (128 random bits), also in the SFU tap command and on the media topics
 * @param hostId         the meeting's host when recording started (hosts list their meetings' recordings)
 * @param durationMillis null until the archive reported
 * @param retentionUntil when the recording may be deleted by retention (unless on legal hold)
 * @param sharedWithParticipants whether the meeting's participants may play it too (the host's choice)
 */
public record Recording(String id, String meetingId, String hostId, String startedBy, Instant startedAt,
                        String stoppedBy, Instant stoppedAt, Status status, Long durationMillis, Long sizeBytes,
                        String sha256, List<StoredFile> files, String failureReason, Instant retentionUntil,
                        boolean legalHold, Instant updatedAt, boolean sharedWithParticipants) {

    public Recording {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(meetingId, "meetingId");
        Objects.requireNonNull(status, "status");
        files = files == null ? List.of() : List.copyOf(files);
    }

    /**
     * {@code recording}: the SFU taps the room; {@code processing}: stopped, the archive is writing the files;
     * {@code ready} / {@code failed}: the archive reported; {@code deleted}: gone from the catalogue; a
     * {@code recording.deleted} event told the archive to remove its objects.
     */
    public enum Status {
        RECORDING, PROCESSING, READY, FAILED, DELETED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One object the archive stored (events' {@code RecordingEvents.StoredFile}, in the catalogue's words).
     *
     * @param startedAt a track file's first frame at the SFU (its offset 0); null for other files and for files
     *                  reported by an archive from before track start times
     */
    public record StoredFile(String kind, String trackId, String objectKey, String contentType, long sizeBytes,
                             String sha256, Instant startedAt) {
    }
}
