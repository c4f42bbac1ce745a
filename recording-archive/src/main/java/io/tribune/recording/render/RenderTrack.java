package io.tribune.recording.render;

import java.nio.file.Path;

/**
 * One stored track file as the renderer uses it.
 *
 * @param kind          {@code audio} or {@code video}
 * @param source        for video, {@code camera} or {@code screen}
 * @param startMillis   where the file's time zero sits on the recording's timeline (from its first track's start)
 * @param durationMillis the file's media duration
 */
public record RenderTrack(String trackId, String participantId, String displayName, String kind, String source,
                          Path file, long startMillis, long durationMillis) {

    public boolean isAudio() {
        return "audio".equals(kind);
    }

    public boolean isScreen() {
        return "video".equals(kind) && "screen".equals(source);
    }

    public boolean isCamera() {
        return "video".equals(kind) && !"screen".equals(source);
    }

    public long endMillis() {
        return startMillis + durationMillis;
    }

    /** The participant, or the track itself when the tap named none. */
    public String owner() {
        return participantId == null || participantId.isBlank() ? trackId : participantId;
    }
}
