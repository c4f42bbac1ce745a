package io.tribune.events;

/**
 * The Redis contract that turns an SFU room's media tap on and off (issue 8, docs/recording.md). While a meeting is
 * recorded the api-server keeps the key {@link #recordingKey} holding the recording id (the truth: an SFU node reads
 * it when it creates the room, so a room that starts, or a node that restarts, during a recording taps too), and
 * publishes on the room's {@code sfu-control} channel ({@code tribune:meeting:{<id>}:sfu-control}):
 * <pre>
 *   {"action":"record_start","recording_id":"..."}   tap every track of the room, and every track published later
 *   {"action":"record_stop","recording_id":"..."}    end every track's tap (an Ended event each)
 * </pre>
 * The tapped packets go to {@link Topics#MEDIA_AUDIO} and {@link Topics#MEDIA_VIDEO} as {@link RtpRecord}s, after
 * the track's {@link MediaEvents} Started event and before its Ended event, all keyed {@code meetingId:trackId}.
 *
 * <p>Live captions (issue 9) use the same channel: while captions are on the api-server keeps the key
 * {@link #captionsKey} (value {@code on}) and publishes {@code {"action":"captions_start"}} /
 * {@code {"action":"captions_stop"}}; the SFU then taps the room's audio tracks (with a null recording id when the
 * meeting is not recorded) and marks in-band, on the audio topic, which tracks the transcription-worker should
 * transcribe. Stateless.
 */
public final class MediaTaps {

    public static final String RECORD_START = "record_start";
    public static final String RECORD_STOP = "record_stop";
    public static final String CAPTIONS_START = "captions_start";
    public static final String CAPTIONS_STOP = "captions_stop";

    private MediaTaps() {
    }

    /** Key holding the id of the recording a meeting's room is tapped for; absent when it is not recorded. */
    public static String recordingKey(String meetingId) {
        return "tribune:meeting:{" + meetingId + "}:recording";
    }

    /** Key present (value {@code on}) while a meeting's live captions are on; absent when they are off. */
    public static String captionsKey(String meetingId) {
        return "tribune:meeting:{" + meetingId + "}:captions";
    }
}
