package io.tribune.events;

import java.time.Instant;
import java.util.List;

/** Events on {@link Topics#RECORDINGS}, keyed by meeting id. */
public final class RecordingEvents {

    private RecordingEvents() {
    }

    @EventType(value = "recording.started", topic = Topics.RECORDINGS)
    public record Started(String meetingId, String recordingId, String startedBy, Instant startedAt)
            implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    @EventType(value = "recording.stopped", topic = Topics.RECORDINGS)
    public record Stopped(String meetingId, String recordingId, String stoppedBy, Instant stoppedAt)
            implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    /**
     * One stored object of a recording: a per-track file, the composed MP4, a thumbnail sheet.
     *
     * @param startedAt for a {@code track} file, when its first frame reached the SFU (the SFU's arrival clock, the
     *                  clock of {@code Caption.start}); its offset 0 is then. Null for other files, and in events of
     *                  archives from before this field (consumers then take the recording's start)
     */
    public record StoredFile(String kind, String trackId, String objectKey, String contentType, long sizeBytes,
                             String sha256, Instant startedAt) {

        /** A file without a start time of its own (the composed file, posters, thumbnails). */
        public StoredFile(String kind, String trackId, String objectKey, String contentType, long sizeBytes,
                          String sha256) {
            this(kind, trackId, objectKey, contentType, sizeBytes, sha256, null);
        }
    }

    @EventType(value = "recording.ready", topic = Topics.RECORDINGS)
    public record Ready(String meetingId, String recordingId, List<StoredFile> files, long durationMillis,
                        long sizeBytes, String sha256) implements EventData {
        public Ready {
            files = files == null ? List.of() : List.copyOf(files);
        }

        @Override
        public String key() {
            return meetingId;
        }
    }

    @EventType(value = "recording.failed", topic = Topics.RECORDINGS)
    public record Failed(String meetingId, String recordingId, String reason) implements EventData {
        @Override
        public String key() {
            return meetingId;
        }
    }

    /**
     * A recording left the catalogue (deleted by its host or an admin, past its retention, or its host's account
     * was erased): recording-archive deletes {@code objectKeys} and everything else under {@code prefix}
     * ({@code recordings/<recordingId>/}), idempotently. Sent again if the archive reports files for a recording
     * already deleted.
     *
     * @param reason {@code deleted}, {@code retention} or {@code account_erased}
     */
    @EventType(value = "recording.deleted", topic = Topics.RECORDINGS)
    public record Deleted(String meetingId, String recordingId, List<String> objectKeys, String prefix,
                          String reason, Instant deletedAt) implements EventData {
        public static final String REASON_DELETED = "deleted";
        public static final String REASON_RETENTION = "retention";
        public static final String REASON_ACCOUNT_ERASED = "account_erased";

        public Deleted {
            objectKeys = objectKeys == null ? List.of() : List.copyOf(objectKeys);
        }

        /** Where every object of {@code recordingId} lives in the archive's bucket. */
        public static String prefixOf(String recordingId) {
            return "recordings/" + recordingId + "/";
        }

        @Override
        public String key() {
            return meetingId;
        }
    }
}
