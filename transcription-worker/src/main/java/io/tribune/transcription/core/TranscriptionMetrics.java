package io.tribune.transcription.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/** The worker's counters, under {@code tribune.transcription.}; thread-safe. */
public final class TranscriptionMetrics {

    public static final String PREFIX = "tribune.transcription.";

    final Counter packets;
    final Counter orphanPackets;
    final Counter captionsOffPackets;
    final Counter tracksResumed;
    final Counter lookbacks;
    final Counter lookbackFailures;
    final Counter decodeErrors;
    final Counter lostPackets;
    final Counter silentFrames;
    final Counter partials;
    final Counter partialsDropped;
    final Counter finals;
    final Counter tracksOpened;
    final Counter tracksIdleClosed;
    final Counter publishFailures;

    public TranscriptionMetrics(MetricRegistry registry) {
        packets = registry.counter(PREFIX + "packets");
        orphanPackets = registry.counter(PREFIX + "orphan_packets");
        captionsOffPackets = registry.counter(PREFIX + "captions_off_packets");
        tracksResumed = registry.counter(PREFIX + "tracks_resumed");
        lookbacks = registry.counter(PREFIX + "lookbacks");
        lookbackFailures = registry.counter(PREFIX + "lookback_failures");
        decodeErrors = registry.counter(PREFIX + "decode_errors");
        lostPackets = registry.counter(PREFIX + "lost_packets");
        silentFrames = registry.counter(PREFIX + "silent_frames_skipped");
        partials = registry.counter(PREFIX + "partials_published");
        partialsDropped = registry.counter(PREFIX + "partials_dropped_behind");
        finals = registry.counter(PREFIX + "finals_published");
        tracksOpened = registry.counter(PREFIX + "tracks_opened");
        tracksIdleClosed = registry.counter(PREFIX + "tracks_idle_closed");
        publishFailures = registry.counter(PREFIX + "publish_failures");
    }

    public long decodeErrors() {
        return decodeErrors.getCount();
    }

    public long finals() {
        return finals.getCount();
    }

    public long orphanPackets() {
        return orphanPackets.getCount();
    }

    public long captionsOffPackets() {
        return captionsOffPackets.getCount();
    }

    public long tracksResumed() {
        return tracksResumed.getCount();
    }

    void lookbackFailed() {
        lookbackFailures.inc();
    }

    public void publishFailed() {
        publishFailures.inc();
    }
}
