package io.tribune.transcription.core;

import java.time.Duration;

/**
 * How tracks are transcribed; see {@code config/transcription-worker.example.yml} for each key.
 *
 * @param reorderPackets     RTP packets held to restore order (20 ms each)
 * @param vadThresholdDbfs   least energy of a voiced 20 ms frame
 * @param preRoll            audio fed to the recognizer before the first voiced frame of a phrase
 * @param endSilence         unvoiced audio after which the segmenter ends a phrase
 * @param maxPhrase          longest phrase before its final is forced
 * @param partialInterval    least time between two partials of one track
 * @param maxPartialDelay    a packet older than this (SFU arrival to now) gets no partials: the worker is behind
 * @param trackIdleTimeout   a track with no packet for this long is closed (its Ended event was lost)
 * @param maxOpenTracks      open tracks per consumer thread; more are refused (dead-lettered Started events)
 */
public record TranscriberSettings(int reorderPackets, double vadThresholdDbfs, Duration preRoll, Duration endSilence,
                                  Duration maxPhrase, Duration partialInterval, Duration maxPartialDelay,
                                  Duration trackIdleTimeout, int maxOpenTracks) {

    public static TranscriberSettings defaults() {
        return new TranscriberSettings(5, -45, Duration.ofMillis(300), Duration.ofMillis(700), Duration.ofSeconds(15),
                Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(30), 200);
    }

    static int frames(Duration duration) {
        return (int) Math.max(1, duration.toMillis() / 20);
    }

    static long samples(Duration duration) {
        return duration.toMillis() * 16;
    }
}
