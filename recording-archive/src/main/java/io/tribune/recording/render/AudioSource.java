package io.tribune.recording.render;

import java.nio.ShortBuffer;
import java.util.ArrayDeque;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * One audio track file decoded to interleaved 16-bit PCM at the output's rate and channels, placed on the
 * recording's timeline by each decoded frame's own timestamp: a gap in the file (no packets while muted) stays
 * silence, and the track starts at its offset. Not thread-safe; owns the grabber until {@link #close()}.
 */
final class AudioSource implements AutoCloseable {

    private record Chunk(long start, short[] samples) {
        long end(int channels) {
            return start + samples.length / channels;
        }
    }

    final RenderTrack track;
    private final FFmpegFrameGrabber grabber;
    private final int rate;
    private final int channels;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    /** Sample frame (per channel) after the last decoded chunk, on the recording's timeline. */
    private long decodedTo;
    private boolean ended;

    AudioSource(RenderTrack track, int rate, int channels) throws Exception {
        this.track = track;
        this.rate = rate;
        this.channels = channels;
        grabber = new FFmpegFrameGrabber(track.file().toFile());
        grabber.setSampleMode(FrameGrabber.SampleMode.SHORT);
        grabber.setSampleRate(rate);
        grabber.setAudioChannels(channels);
        grabber.start();
        decodedTo = track.startMillis() * rate / 1000;
    }

    /** Adds this track's samples of sample frames [{@code from}, {@code to}) into {@code mix} (interleaved). */
    void mixInto(int[] mix, long from, long to) throws Exception {
        while (!ended && decodedTo < to) {
            decodeNext();
        }
        for (Chunk chunk : chunks) {
            long start = Math.max(from, chunk.start());
            long end = Math.min(to, chunk.end(channels));
            for (long s = start; s < end; s++) {
                int in = (int) (s - chunk.start()) * channels;
                int out = (int) (s - from) * channels;
                for (int c = 0; c < channels; c++) {
                    mix[out + c] += chunk.samples()[in + c];
                }
            }
        }
        while (!chunks.isEmpty() && chunks.peekFirst().end(channels) <= to) {
            chunks.removeFirst();
        }
    }

    private void decodeNext() throws Exception {
        Frame frame = grabber.grabSamples();
        if (frame == null) {
            ended = true;
            return;
        }
        if (frame.samples == null || frame.samples.length == 0) {
            return;
        }
        ShortBuffer buffer = (ShortBuffer) frame.samples[0];
        short[] samples = new short[buffer.remaining()];
        buffer.duplicate().get(samples);
        long start = (track.startMillis() * 1000 + frame.timestamp) * rate / 1_000_000;
        // Rounding and resampler delay: never overlap the previous chunk, close gaps under 10 ms.
        if (start < decodedTo || start - decodedTo < rate / 100) {
            start = decodedTo;
        }
        chunks.addLast(new Chunk(start, samples));
        decodedTo = start + samples.length / channels;
    }

    @Override
    public void close() {
        try {
            grabber.close();
        } catch (Exception e) {
            // closing a reader: nothing to save
        }
    }
}
