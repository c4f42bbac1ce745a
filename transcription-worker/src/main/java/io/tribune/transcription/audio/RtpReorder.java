package io.tribune.transcription.audio;

import io.tribune.common.rtp.WrappingCounter;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts one audio track's RTP packets back in sequence order, holding at most {@code capacity} packets (20 ms each
 * for Opus, so the default of 5 adds at most 100 ms to a caption). When more wait, the missing ones are given up on
 * (counted as lost) and the rest released; duplicates and packets older than the last released one are dropped.
 * Sequence numbers are 16-bit and wrap (RFC 3550 section 3.3); each is extended relative to the highest seen, and
 * timestamps the same way, so a wrap keeps order. Not thread-safe: one track, one thread.
 */
public final class RtpReorder {

    /** A released packet: extended sequence and timestamp, and its payload (owned by the receiver). */
    public record Packet(long sequence, long timestamp, byte[] payload) {
    }

    private final int capacity;
    private final TreeMap<Long, Packet> waiting = new TreeMap<>();
    private long next = -1;
    private final WrappingCounter sequences = WrappingCounter.sequence();
    private final WrappingCounter timestamps = WrappingCounter.timestamp();
    private long lost;
    private long dropped;

    public RtpReorder(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    public void push(int sequence, long timestamp, byte[] payload, Consumer<Packet> out) {
        long extended = sequences.extend(sequence);
        long extendedTimestamp = timestamps.extend(timestamp);
        if ((next >= 0 && extended < next) || waiting.containsKey(extended)) {
            dropped++;
            return;
        }
        waiting.put(extended, new Packet(extended, extendedTimestamp, payload));
        if (next < 0) {
            // The very first packets may be reordered too: start at the lowest once a few have arrived.
            if (waiting.size() < Math.min(capacity, 3)) {
                return;
            }
            next = waiting.firstKey();
        }
        release(out);
        while (waiting.size() > capacity) {
            long oldest = waiting.firstKey();
            lost += oldest - next;
            next = oldest;
            release(out);
        }
    }

    /** Releases everything still waiting, in order. */
    public void flush(Consumer<Packet> out) {
        while (!waiting.isEmpty()) {
            long oldest = waiting.firstKey();
            if (next >= 0) {
                lost += Math.max(0, oldest - next);
            }
            next = oldest;
            release(out);
        }
    }

    private void release(Consumer<Packet> out) {
        Packet head;
        while ((head = waiting.remove(next)) != null) {
            next++;
            out.accept(head);
        }
    }

    /** Packets given up on. */
    public long lost() {
        return lost;
    }

    /** Duplicates and packets that came after their turn. */
    public long dropped() {
        return dropped;
    }
}
