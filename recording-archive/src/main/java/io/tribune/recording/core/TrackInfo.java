package io.tribune.recording.core;

import io.tribune.recording.mux.TrackCodec;

/**
 * What the archive knows of a track from its Started event.
 *
 * @param key the record key on the media topics, {@code meetingId:trackId}
 * @param kind {@code audio} or {@code video}
 */
public record TrackInfo(String key, String meetingId, String trackId, String recordingId, String kind,
                        TrackCodec codec, int clockRate, int payloadType, String participantId, String displayName,
                        String source) {

    /** {@code recordings/<recordingId>/tracks/<trackId>.webm|.mkv}. */
    public String objectKey() {
        return "recordings/" + recordingId + "/tracks/" + trackId + "." + codec.extension();
    }
}
