package io.tribune.recording.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.events.RecordingEvents;
import io.tribune.recording.db.ArchiveState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiverTrackFilesTest {

    private static ArchiveState.TrackRow row(String trackId, String status, Long mediaStartMicros) {
        return new ArchiveState.TrackRow("r-1", trackId, "m-1", "audio", "opus", "p-1", "Ada", null, status,
                "recordings/r-1/tracks/" + trackId + ".webm", "audio/webm", 100, "ab", 4_000, null,
                mediaStartMicros);
    }

    @Test
    void reportsEachStoredTrackWithWhenItsFirstFrameArrived() {
        Archiver.TrackFiles files = Archiver.trackFiles(List.of(
                row("early", "stored", 1_764_230_400_000_000L),
                row("late", "stored", 1_764_230_407_500_123L),
                row("silent", "empty", null)));

        assertThat(files.files()).extracting(RecordingEvents.StoredFile::trackId).containsExactly("early", "late");
        assertThat(files.files()).extracting(RecordingEvents.StoredFile::startedAt).containsExactly(
                Instant.parse("2025-11-27T08:00:00Z"), Instant.parse("2025-11-27T08:00:07.500123Z"));
        assertThat(files.problems()).containsExactly("silent: empty");
    }

    @Test
    void leavesTheStartOutWhenTheTrackHasNone() {
        assertThat(Archiver.trackFiles(List.of(row("t-1", "stored", null))).files().get(0).startedAt()).isNull();
    }
}
