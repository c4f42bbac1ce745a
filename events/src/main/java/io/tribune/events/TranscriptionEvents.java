package io.tribune.events;

import java.time.Instant;
import java.util.List;

/** Events on {@link Topics#TRANSCRIPTIONS}, keyed by meeting id. */
public final class TranscriptionEvents {

    private TranscriptionEvents() {
    }

    /**
     * One audio file of a recording, as recording-archive stored it ({@code recording.ready}'s {@code track}
     * files): the object's key in the archive's bucket, its track, and who spoke on it. {@code startedAt} is the
     * wall-clock time of the file's first sample (offsets in the file are added to it); {@code participantId} and
     * {@code displayName} may be null when the api-server does not know them.
     */
    public record AudioFile(String objectKey, String trackId, String participantId, String displayName,
                            Instant startedAt) {
    }

    /**
     * An admin or a manager of a recording asked for its transcript (api-server, through the outbox):
     * transcription-worker transcribes every file and answers on {@link Topics#CAPTIONS} with a final
     * {@link CaptionEvents.Caption} per phrase (phrase id {@code <recordingId>-<trackId>-<n>}), then
     * {@link CaptionEvents.TranscriptReady} or {@link CaptionEvents.TranscriptFailed} for {@code recordingId}.
     */
    @EventType(value = "transcription.requested", topic = Topics.TRANSCRIPTIONS)
    public record Requested(String meetingId, String recordingId, String requestedBy, List<AudioFile> files,
                            Instant requestedAt) implements EventData {
        public Requested {
            files = files == null ? List.of() : List.copyOf(files);
        }

        @Override
        public String key() {
            return meetingId;
        }
    }
}
