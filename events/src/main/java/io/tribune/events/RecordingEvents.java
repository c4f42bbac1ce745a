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

    /** One stored object of a recording: a per-track file, the composed MP4, a thumbnail sheet. */
    public record StoredFile(String kind, String trackId, String objectKey, String contentType, long sizeBytes,
                             String sha256) {
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
}
