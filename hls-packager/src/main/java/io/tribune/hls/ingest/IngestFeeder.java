package io.tribune.hls.ingest;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.IngestProtocol;
import io.tribune.common.media.IngestWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays a {@link SyntheticMedia.Stream} into the packager's ingest port at real-time pace, stamping each sample with
 * the wall clock as its capture time, as the transcoder does: a live source without an encoder running (the packager's
 * tests, {@code ops/tribune bench cdn}). Feeding blocks the calling thread; interrupting it ends the connection without
 * END, as a transcoder that went away would.
 */
public final class IngestFeeder {

    private IngestFeeder() {
    }

    /**
     * How late a sample may be before the feeder stops catching up: a thread starved for longer on a loaded machine
     * would otherwise send the backlog in one burst (many parts at once, the oldest leaving the playlist before a
     * viewer gets them). Beyond this the feeder goes on from now, as a source that paused: the samples are all sent,
     * later, and their capture times move with them.
     */
    static final long MAX_LATE_NANOS = 1_000_000_000L;

    /**
     * @param speed 1.0 = real time; larger is faster
     * @param end   send END after the last sample
     */
    public static void feed(int port, String eventId, String key, SyntheticMedia.Stream stream, double speed,
                            boolean end)
            throws IOException, InterruptedException {
        feed(port, eventId, key, stream, speed, end, new AtomicLong());
    }

    /**
     * As {@link #feed(int, String, String, SyntheticMedia.Stream, double, boolean)}, counting the pauses (a sample
     * more than {@link #MAX_LATE_NANOS} late) in {@code pauses}.
     */
    public static void feed(int port, String eventId, String key, SyntheticMedia.Stream stream, double speed,
                            boolean end, AtomicLong pauses)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
             IngestWriter writer = new IngestWriter(socket.getOutputStream())) {
            socket.setTcpNoDelay(true);
            writer.write(new IngestFrame.Hello(IngestProtocol.VERSION, eventId, key));
            for (IngestFrame.TrackAnnounce track : stream.tracks()) {
                writer.write(track);
            }
            writer.flush();
            long startNanos = System.nanoTime();
            long startMicros = System.currentTimeMillis() * 1000;
            for (SyntheticMedia.TimedFrame timed : stream.samples()) {
                long dueNanos = startNanos + (long) (timed.seconds() * 1e9 / speed);
                long wait = dueNanos - System.nanoTime();
                if (-wait > MAX_LATE_NANOS) {
                    startNanos -= wait;
                    startMicros -= wait / 1000;
                    pauses.incrementAndGet();
                } else if (wait > 1_000_000) {
                    writer.flush();
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                IngestFrame.Sample s = (IngestFrame.Sample) timed.frame();
                writer.write(new IngestFrame.Sample(s.trackId(), s.keyframe(), s.dts(), s.pts(), s.duration(),
                        startMicros + (long) (timed.seconds() * 1e6), s.payload()));
            }
            if (end) {
                writer.write(new IngestFrame.End());
            }
            writer.flush();
            if (end) {
                // Let the packager read END before the socket closes.
                socket.shutdownOutput();
                socket.getInputStream().read();
            }
        }
    }
}
