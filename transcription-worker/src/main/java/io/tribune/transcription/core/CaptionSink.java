package io.tribune.transcription.core;

import io.tribune.events.CaptionEvents;

/** Where captions go: {@code tribune.captions} in the worker, WebVTT cues in {@code tribune transcribe}. */
public interface CaptionSink {
    /** Must not block for long: it runs on the consumer thread between packets. */
    void publish(CaptionEvents.Caption caption);
}
