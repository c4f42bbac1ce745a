package io.tribune.transcoder.pipeline;

/**
 * What every input of the ladder shares ({@link SrtInput}, {@code stage.RtpStageInput}): one GStreamer pipeline that
 * decodes a town hall's source and hands raw video and audio to the {@link LadderPipeline} over its inter channel.
 * One instance serves one connection or one set of streams: when it fails or ends, it reports {@link Ended} once and
 * its owner starts another, while the ladder runs on the slate. {@link #start} and {@link #stop} come from the
 * owner's control thread; the counters are read from any thread.
 */
public interface MediaInput {

    /** How an input tells its owner it is done; called on a GStreamer thread, must not block. */
    interface Ended {
        void inputEnded(String reason);
    }

    void start();

    /** Stops and frees the pipeline; no {@link Ended} follows. Idempotent. */
    void stop();

    /** System.nanoTime() of the last decoded video frame, 0 before the first. */
    long lastVideoNanoTime();

    long videoFrames();
}
