package io.tribune.transcoder;

import io.tribune.transcoder.pipeline.Rung;
import java.time.Duration;

/**
 * Where a {@link TownHallTranscoder} gets its picture and sound: an SRT presenter ({@link SrtSource}) or the stage of
 * an SFU room ({@link io.tribune.transcoder.stage.StageSource}). A source owns its {@link
 * io.tribune.transcoder.pipeline.MediaInput}s (starting another when one ends) and feeds the ladder's inter channel;
 * the transcoder owns the ladder, the packager connection and the watchdog.
 *
 * <p>Threading: {@link #open} and {@link #close} run on the transcoder's control thread; the rest may be called
 * from any thread.
 */
public interface TownHallSource {

    /** What the transcoder offers its source. */
    interface Feed {
        /** The inter channel the ladder reads. */
        String channel();

        int frameRate();

        /** A video of this size arrived: starts the ladder sized for it (never upscaling) if none runs; its top. */
        Rung videoFound(int width, int height);

        /** Audio arrived: starts the whole ladder shortly, unless video comes first. */
        void audioFound();

        /** Starts the whole configured ladder now if none runs (it shows the slate until input comes); its top. */
        Rung startLadder();

        /** A presenter was refused (wrong key). */
        void callerRejected();

        /** Runs {@code action} on the control thread after {@code delay}; dropped once the transcoder stops. */
        void later(Runnable action, Duration delay);
    }

    /** Starts taking input. */
    void open(Feed feed);

    /** Stops every input of this source. */
    void close();

    /** Whether the source is ready for its presenters (an SRT listener is up; the stage is followed). */
    boolean ready();

    /** System.nanoTime() of the last decoded video frame of the current input, 0 without one. */
    long lastVideoNanoTime();

    /** A few words for health checks and logs ("SRT on port 9000", "stage, 2 streams"). */
    String describe();
}
