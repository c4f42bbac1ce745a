package io.tribune.sfu.tap;

import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.RtpRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The edge between the forwarding path and Kafka: receive threads put tapped packets into a bounded queue and go
 * on; one producer thread ({@code sfu-media-tap}) encodes them ({@link RtpRecord#encode()}, track metadata as
 * JSON events) and hands them to the {@link TapSink}, which batches (kafka-clients' {@code linger.ms} and
 * {@code batch.size}).
 *
 * <pre>
 *   publisher's receive thread --offerPacket (copy of the payload; drop and count when full)--+
 *   first packet / node timer  --offerEvent (Started, Ended; in places packets cannot take) --+--> queue
 *   sfu-media-tap thread: drain up to 1,024 -> encode -> TapSink.send; empty queue: sleep 5 ms, doubling up to
 *       80 ms while it stays empty (no room recorded)
 * </pre>
 *
 * <p>The producer thread polls instead of being woken: waking a thread for every packet costs more than the
 * packet's forwarding on this kind of machine (BENCHMARKS.md, bench sfu), and a recording does not mind a few
 * milliseconds. While nothing is recorded it wakes ~12 times a second.
 * Metadata events share the queue with the packets so that each track's records keep their order (Started, the
 * packets, Ended); the queue keeps {@link #EVENT_RESERVE} places that packets may not take. Thread-safe.
 */
public final class TapQueue implements AutoCloseable {

    /** Places only metadata events may take, so a queue full of packets never loses a Started or Ended. */
    static final int EVENT_RESERVE = 1_024;
    private static final int DRAIN = 1_024;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(80);
    private static final Logger LOGGER = Logger.getLogger(TapQueue.class.getName());

    /** One queued record: a packet ({@code record}) or a metadata event. */
    private record Item(String topic, String key, RtpRecord record, Event event, RoomTap.Counters room) {
    }

    private final ArrayBlockingQueue<Item> queue;
    private final int packetCapacity;
    private final TapSink sink;
    private final Thread thread;
    private final LongAdder packetsQueued = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder packetsDropped = new LongAdder();
    private final LongAdder eventsSent = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private volatile boolean closing;
    /** Set once the sink is closed: what is still queued then is given up (a Kafka that stayed unreachable). */
    private volatile boolean sinkClosed;

    /** Starts the producer thread. */
    public TapQueue(TapSink sink, int packetCapacity) {
        if (packetCapacity < 1) {
            throw new IllegalArgumentException("packet capacity must be positive");
        }
        this.sink = sink;
        this.packetCapacity = packetCapacity;
        this.queue = new ArrayBlockingQueue<>(packetCapacity + EVENT_RESERVE);
        this.thread = new Thread(this::run, "sfu-media-tap");
        thread.setDaemon(true);
        thread.start();
    }

    /** Receive thread: queues one packet, or drops and counts it when the queue is full; never blocks. */
    boolean offerPacket(String topic, String key, RtpRecord record, RoomTap.Counters room) {
        if (closing || queue.size() >= packetCapacity || !queue.offer(new Item(topic, key, record, null, room))) {
            packetsDropped.increment();
            room.dropped.increment();
            return false;
        }
        packetsQueued.increment();
        return true;
    }

    /**
     * Queues a track's metadata event. {@code wait}: up to a second if even the reserve is full (node timer,
     * command threads); without it (a receive thread) it never blocks.
     *
     * @return false when the event could not be queued (logged)
     */
    boolean offerEvent(String topic, String key, Event event, RoomTap.Counters room, boolean wait) {
        boolean queued;
        try {
            Item item = new Item(topic, key, null, event, room);
            queued = wait ? queue.offer(item, 1, TimeUnit.SECONDS) : queue.offer(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued && wait) {
            LOGGER.log(Level.WARNING, "media tap queue full: {0} for {1} not sent", new Object[] {event.type(), key});
        } else if (!queued) {
            // The receive thread drops the packet that came with it (no log line per packet).
            packetsDropped.increment();
            room.dropped.increment();
        }
        return queued;
    }

    private void run() {
        List<Item> batch = new ArrayList<>(DRAIN);
        long idle = IDLE_NANOS;
        while (true) {
            batch.clear();
            queue.drainTo(batch, DRAIN);
            if (batch.isEmpty() || sinkClosed) {
                if (closing) {
                    break;
                }
                LockSupport.parkNanos(idle);
                idle = Math.min(MAX_IDLE_NANOS, idle * 2);
                continue;
            }
            idle = IDLE_NANOS;
            for (Item item : batch) {
                if (sinkClosed) {
                    break;
                }
                try {
                    send(item);
                } catch (RuntimeException e) {
                    // A sink failure must not end the producer thread: count it and go on.
                    sendErrors.increment();
                    LOGGER.log(Level.WARNING, "media tap: cannot send a record for " + item.key(), e);
                }
            }
        }
    }

    private void send(Item item) {
        if (item.record() != null) {
            byte[] value = item.record().encode();
            sink.send(item.topic(), item.key(), value, sendErrors::increment);
            packetsSent.increment();
            bytesSent.add(value.length);
            item.room().packets.increment();
            item.room().bytes.add(value.length);
        } else {
            sink.send(item.topic(), item.key(), EventCodec.encode(item.event()), sendErrors::increment);
            eventsSent.increment();
        }
    }

    /** Packets handed to the sink. */
    public long packetsSent() {
        return packetsSent.sum();
    }

    /** Bytes of RTP records handed to the sink. */
    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Packets dropped because the queue was full (or the tap closing). */
    public long packetsDropped() {
        return packetsDropped.sum();
    }

    /** Metadata events handed to the sink. */
    public long eventsSent() {
        return eventsSent.sum();
    }

    /** Records the sink could not deliver (reported by its callback) or refused. */
    public long sendErrors() {
        return sendErrors.sum();
    }

    /** Records waiting now. */
    public int depth() {
        return queue.size();
    }

    /** Waits until everything queued so far has been handed to the sink and the sink flushed; for tests. */
    public void flush(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** Sends what is queued (at most 5 s), then flushes and closes the sink. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            sink.flush();
        } finally {
            sinkClosed = true;
            sink.close();
        }
    }
}
