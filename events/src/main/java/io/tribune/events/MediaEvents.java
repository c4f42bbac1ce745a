package io.tribune.events;

import java.time.Instant;

/**
 * Track metadata on {@link Topics#MEDIA_AUDIO} and {@link Topics#MEDIA_VIDEO}, keyed {@code meetingId:trackId}
 * like the RTP records of the same track, so a consumer sees a track's start before its packets. The records
 * here sit on the audio topic; video tracks' metadata uses {@link VideoTrackStarted} and {@link VideoTrackEnded}.
 * The packets themselves are {@link RtpRecord}s. {@code recordingId} names the recording the tap serves (null when
 * the track is tapped only for captions); a track's tap ends with its Ended event, also when the recording stops.
 */
public final class MediaEvents {

    private MediaEvents() {
    }

    static String trackKey(String meetingId, String trackId) {
        return meetingId + ":" + trackId;
    }

    /** An audio track began: {@code codec} e.g. {@code opus}, with its RTP clock rate and payload type. */
    @EventType(value = "media.audio_track_started", topic = Topics.MEDIA_AUDIO)
    public record AudioTrackStarted(String meetingId, String trackId, String participantId, String displayName,
                                    long ssrc, String codec, int clockRate, int payloadType, Instant startedAt,
                                    String recordingId) implements EventData {
        @Override
        public String key() {
            return trackKey(meetingId, trackId);
        }
    }

    @EventType(value = "media.audio_track_ended", topic = Topics.MEDIA_AUDIO)
    public record AudioTrackEnded(String meetingId, String trackId, Instant endedAt, String recordingId)
            implements EventData {
        @Override
        public String key() {
            return trackKey(meetingId, trackId);
        }
    }

    /** A video track began: {@code source} is {@code camera} or {@code screen}; {@code codec} {@code vp8}/{@code h264}. */
    @EventType(value = "media.video_track_started", topic = Topics.MEDIA_VIDEO)
    public record VideoTrackStarted(String meetingId, String trackId, String participantId, String displayName,
                                    long ssrc, String codec, int clockRate, int payloadType, String source,
                                    Instant startedAt, String recordingId) implements EventData {
        @Override
        public String key() {
            return trackKey(meetingId, trackId);
        }
    }

    @EventType(value = "media.video_track_ended", topic = Topics.MEDIA_VIDEO)
    public record VideoTrackEnded(String meetingId, String trackId, Instant endedAt, String recordingId)
            implements EventData {
        @Override
        public String key() {
            return trackKey(meetingId, trackId);
        }
    }
}
