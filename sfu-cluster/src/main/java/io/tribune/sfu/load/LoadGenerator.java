package io.tribune.sfu.load;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Paces every publisher's media from one thread: wakes when the earliest packet is due (at most every
 * millisecond), sends what is due and sleeps again. Video frames go out as bursts, as a browser sends them.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from any thread; the media belong to the generator's thread.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(LoadGenerator.class.getName());

    private final List<PublishedMedia> media;
    private final Thread thread;
    private volatile boolean running = true;

    public LoadGenerator(List<PublishedMedia> media) {
        this.media = List.copyOf(media);
        this.thread = new Thread(this::run, "load-generator");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        long now = System.nanoTime();
        media.forEach(m -> m.start(now));
        while (running) {
            long next = Long.MAX_VALUE;
            long t = System.nanoTime();
            for (PublishedMedia m : media) {
                try {
                    next = Math.min(next, m.sendDue(t));
                } catch (IOException e) {
                    LOGGER.log(Level.FINE, "send failed", e);
                }
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, 1_000_000L));
            }
        }
    }

    /** Packets sent so far by all publishers. */
    public long sent() {
        long sum = 0;
        for (PublishedMedia m : media) {
            sum += m.peer().rtpSent();
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
