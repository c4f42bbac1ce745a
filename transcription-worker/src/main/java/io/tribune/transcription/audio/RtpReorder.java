package io.tribune.transcription.audio;

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
    private long highestSequence = -1;
    private long highestTimestamp = -1;
    private long lost;
    private long dropped;

    public RtpReorder(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    public void push(int sequence, long timestamp, byte[] payload, Consumer<Packet> out) {
        long extended = extend(sequence);
        long extendedTimestamp = extendTimestamp(timestamp);
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

    private long extend(int sequence) {
        if (highestSequence < 0) {
            highestSequence = sequence + (1L << 16);
            return highestSequence;
        }
        long extended = closest(highestSequence, sequence, 1L << 16);
        highestSequence = Math.max(highestSequence, extended);
        return extended;
    }

    private long extendTimestamp(long timestamp) {
        if (highestTimestamp < 0) {
            highestTimestamp = timestamp + (1L << 32);
            return highestTimestamp;
        }
        long extended = closest(highestTimestamp, timestamp, 1L << 32);
        highestTimestamp = Math.max(highestTimestamp, extended);
        return extended;
    }

    private static long closest(long reference, long value, long modulus) {
        long candidate = reference - Math.floorMod(reference, modulus) + value;
        if (candidate - reference > modulus / 2) {
            candidate -= modulus;
        } else if (reference - candidate > modulus / 2) {
            candidate += modulus;
        }
        return candidate;
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
