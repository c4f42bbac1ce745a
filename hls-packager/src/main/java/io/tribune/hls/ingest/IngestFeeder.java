package io.tribune.hls.ingest;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.IngestProtocol;
import io.tribune.common.media.IngestWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

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
     * @param speed 1.0 = real time; larger is faster
     * @param end   send END after the last sample
     */
    public static void feed(int port, String eventId, String key, SyntheticMedia.Stream stream, double speed,
                            boolean end)
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
                if (wait > 1_000_000) {
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
