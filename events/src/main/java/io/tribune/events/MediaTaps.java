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
 * Stateless.
 */
public final class MediaTaps {

    public static final String RECORD_START = "record_start";
    public static final String RECORD_STOP = "record_stop";

    private MediaTaps() {
    }

    /** Key holding the id of the recording a meeting's room is tapped for; absent when it is not recorded. */
    public static String recordingKey(String meetingId) {
        return "tribune:meeting:{" + meetingId + "}:recording";
    }
}
