package io.tribune.transcription.core;

import io.tribune.events.Event;
import io.tribune.events.MediaEvents;
import java.util.Map;

/**
 * What the audio topic said about one track up to some offset: its latest Started event (null when only a captions
 * switch was seen), whether captions are on since then, and whether it ended. Immutable.
 */
public record KnownTrack(MediaEvents.AudioTrackStarted started, boolean captions, boolean ended) {

    /** Folds one of the track's metadata events into {@code known} (keyed {@code meetingId:trackId}). */
    static void apply(Map<String, KnownTrack> known, String key, Event event) {
        Object data = event.data();
        if (data instanceof MediaEvents.AudioTrackStarted started) {
            known.put(key, new KnownTrack(started, started.captions(), false));
        } else if (data instanceof MediaEvents.AudioCaptions switched) {
            KnownTrack before = known.get(key);
            known.put(key, new KnownTrack(before == null ? null : before.started(), switched.captions(),
                    before != null && before.ended()));
        } else if (data instanceof MediaEvents.AudioTrackEnded) {
            known.put(key, new KnownTrack(null, false, true));
        }
    }
}
