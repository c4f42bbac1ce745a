package io.tribune.transcoder.ingest;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.IngestProtocol;
import io.tribune.common.media.IngestWriter;
import io.tribune.transcoder.pipeline.FrameSink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcoder's side of the media ingest protocol (common's {@code io.tribune.common.media}): one TCP connection
 * to the packager per event, fed from a bounded queue by one writer thread, so GStreamer's streaming threads never
 * block on the network.
 *
 * <p>If the connection fails, frames are dropped until it is back (retried every {@code retryInterval}); a new
 * connection sends HELLO and the latest TRACK of every track again, and the packager continues the event after a
 * discontinuity. {@link #discontinuity()} asks for one explicitly (a restarted pipeline); {@link #end()} ends the
 * event for good. Thread-safe.
 */
public final class PackagerConnection implements FrameSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PackagerConnection.class);
    private static final int QUEUE_CAPACITY = 4096;

    private final InetSocketAddress packager;
    private final String eventId;
    private final String key;
    private final Duration retryInterval;
    private final BlockingQueue<IngestFrame> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<Integer, IngestFrame.TrackAnnounce> tracks = new LinkedHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final Thread writerThread;
    private volatile boolean running = true;
    private volatile boolean connected;
    private Socket socket;
    private IngestWriter writer;

    public PackagerConnection(InetSocketAddress packager, String eventId, String key, Duration retryInterval) {
        this.packager = packager;
        this.eventId = eventId;
        this.key = key;
        this.retryInterval = retryInterval;
        // Validates the event id and key before anything runs.
        new IngestFrame.Hello(IngestProtocol.VERSION, eventId, key);
        this.writerThread = new Thread(this::writeLoop, "ingest-writer-" + eventId);
        writerThread.setDaemon(true);
        writerThread.start();
    }

    @Override
    public void send(IngestFrame frame) {
        if (!queue.offer(frame)) {
            if (dropped.incrementAndGet() % 100 == 1) {
                LOG.warn("event {}: the packager is not keeping up; {} frames dropped so far", eventId, dropped.get());
            }
        }
    }

    /** The next samples start a new timeline (EXT-X-DISCONTINUITY). */
    public void discontinuity() {
        send(new IngestFrame.Discontinuity());
    }

    /** Ends the event (EXT-X-ENDLIST, VOD copy); waits up to {@code timeout} for the queue to drain. */
    public void end(Duration timeout) throws InterruptedException {
        send(new IngestFrame.End());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    public boolean connected() {
        return connected;
    }

    public long framesSent() {
        return sent.get();
    }

    public long framesDropped() {
        return dropped.get();
    }

    /** Connections opened so far (1 after the first, more after failures). */
    public long connects() {
        return connects.get();
    }

    @Override
    public void close() {
        running = false;
        writerThread.interrupt();
        try {
            writerThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnect();
    }

    private void writeLoop() {
        long nextAttempt = 0;
        while (running) {
            IngestFrame frame;
            try {
                frame = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (frame instanceof IngestFrame.TrackAnnounce track) {
                tracks.put(track.trackId(), track);
            }
            if (writer == null && System.nanoTime() - nextAttempt >= 0) {
                if (!connect()) {
                    nextAttempt = System.nanoTime() + retryInterval.toNanos();
                }
                if (frame instanceof IngestFrame.TrackAnnounce) {
                    continue; // connect() just sent it from the cache, or it waits there for the next connect
                }
            }
            if (writer == null || frame == null) {
                if (frame == null && writer != null) {
                    flushQuietly();
                }
                continue;
            }
            try {
                writer.write(frame);
                sent.incrementAndGet();
                if (queue.isEmpty()) {
                    writer.flush();
                }
            } catch (IOException e) {
                LOG.warn("event {}: lost the packager connection ({}); retrying every {}", eventId, e.toString(),
                        retryInterval);
                disconnect();
                nextAttempt = System.nanoTime() + retryInterval.toNanos();
            }
        }
        if (writer != null) {
            flushQuietly();
        }
    }

    private boolean connect() {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(packager, 5_000);
            IngestWriter w = new IngestWriter(s.getOutputStream());
            w.write(new IngestFrame.Hello(IngestProtocol.VERSION, eventId, key));
            for (IngestFrame.TrackAnnounce track : tracks.values()) {
                w.write(track);
            }
            w.flush();
            socket = s;
            writer = w;
            connected = true;
            connects.incrementAndGet();
            LOG.info("event {}: connected to the packager at {}", eventId, packager);
            return true;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            LOG.debug("event {}: packager at {} not reachable: {}", eventId, packager, e.toString());
            return false;
        }
    }

    private void flushQuietly() {
        try {
            writer.flush();
        } catch (IOException e) {
            LOG.warn("event {}: lost the packager connection ({})", eventId, e.toString());
            disconnect();
        }
    }

    private void disconnect() {
        connected = false;
        writer = null;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
