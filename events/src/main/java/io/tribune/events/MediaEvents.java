package io.tribune.events;

import java.time.Instant;

/**
 * Track metadata on {@link Topics#MEDIA_AUDIO} and {@link Topics#MEDIA_VIDEO}, keyed {@code meetingId:trackId}
 * like the RTP records of the same track, so a consumer sees a track's start before its packets. The records
 * here sit on the audio topic; video tracks' metadata uses {@link VideoTrackStarted} and {@link VideoTrackEnded}.
 * The packets themselves are {@link RtpRecord}s. {@code recordingId} names the recording the tap serves (null when
 * the track is tapped only for captions); a track's tap ends with its Ended event, also when the recording stops.
 *
 * <p>Live captions (issue 9): an audio track's Started event says whether the meeting's captions were on
 * ({@code captions}; absent in older JSON, which reads as false), and an {@link AudioCaptions} event between its
 * packets switches it; the transcription-worker transcribes a track only while it is on.
 */
public final class MediaEvents {

    private MediaEvents() {
    }

    static String trackKey(String meetingId, String trackId) {
        return meetingId + ":" + trackId;
    }

    /**
     * An audio track began: {@code codec} e.g. {@code opus}, with its RTP clock rate and payload type;
     * {@code captions} whether it is to be transcribed from its first packet (until an {@link AudioCaptions}).
     */
    @EventType(value = "media.audio_track_started", topic = Topics.MEDIA_AUDIO)
    public record AudioTrackStarted(String meetingId, String trackId, String participantId, String displayName,
                                    long ssrc, String codec, int clockRate, int payloadType, Instant startedAt,
                                    String recordingId, boolean captions) implements EventData {

        /** A track tapped with captions off (the recording tap before issue 9). */
        public AudioTrackStarted(String meetingId, String trackId, String participantId, String displayName,
                                 long ssrc, String codec, int clockRate, int payloadType, Instant startedAt,
                                 String recordingId) {
            this(meetingId, trackId, participantId, displayName, ssrc, codec, clockRate, payloadType, startedAt,
                    recordingId, false);
        }

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

    /**
     * Captions switched on or off for a tapped audio track, in-band: the packets after it (in the track's partition)
     * are to be transcribed ({@code captions} true) or not. Sent only for a track whose Started event went out.
     */
    @EventType(value = "media.audio_captions", topic = Topics.MEDIA_AUDIO)
    public record AudioCaptions(String meetingId, String trackId, boolean captions, Instant at) implements EventData {
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
