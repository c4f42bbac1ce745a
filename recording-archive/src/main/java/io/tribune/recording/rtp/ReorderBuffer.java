package io.tribune.recording.rtp;

import io.tribune.common.rtp.WrappingCounter;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts one track's RTP packets back in sequence order. Packets are held until the one before them has been released;
 * when more than {@code capacity} packets wait, the buffer stops waiting for the missing ones (counted as lost) and
 * releases what it has. Duplicates are dropped; a packet older than the last one released is late and dropped.
 *
 * <p>The first release waits for 16 packets (or {@code capacity}, if smaller), since the very first packets can
 * be reordered too. Sequence numbers are 16-bit and wrap (RFC 3550 section 3.3): each is extended to 64 bits relative to the
 * highest seen, so a wrap from 65535 to 0 keeps order. Timestamps are extended the same way. Not thread-safe.
 */
public final class ReorderBuffer {

    private final int capacity;
    /** Packets gathered before the first release. */
    private final int startupPackets;
    private final TreeMap<Long, RtpPacket> waiting = new TreeMap<>();
    /** The last released sequence numbers by their low bits, to tell a duplicate from a late packet. */
    private final long[] released = new long[1024];
    /** Extended sequence of the next packet to release; -1 before the first packet. */
    private long next = -1;
    private final WrappingCounter sequences = WrappingCounter.sequence();
    private final WrappingCounter timestamps = WrappingCounter.timestamp();
    private boolean gapBeforeNext;
    private long lost;
    private long late;
    private long duplicates;

    public ReorderBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.startupPackets = Math.min(capacity, 16);
        Arrays.fill(released, -1);
    }

    /**
     * Takes a packet as it arrived and releases, in order, every packet that is now next.
     *
     * @param sequence  the 16-bit RTP sequence number
     * @param timestamp the 32-bit RTP timestamp
     */
    public void push(int sequence, long timestamp, boolean marker, byte[] payload, Consumer<RtpPacket> out) {
        long extended = sequences.extend(sequence);
        long extendedTimestamp = timestamps.extend(timestamp);
        if (next < 0) {
            // Nothing released yet: the first packets may themselves arrive out of order, so the stream starts at
            // the lowest of the first few.
            if (waiting.putIfAbsent(extended, new RtpPacket(extended, extendedTimestamp, marker, payload, false))
                    != null) {
                duplicates++;
            }
            if (waiting.size() >= startupPackets) {
                next = waiting.firstKey();
                release(out);
            }
            return;
        }
        if (extended < next) {
            if (released[(int) (extended & (released.length - 1))] == extended) {
                duplicates++;
            } else {
                late++;
            }
            return;
        }
        if (waiting.containsKey(extended)) {
            duplicates++;
            return;
        }
        waiting.put(extended, new RtpPacket(extended, extendedTimestamp, marker, payload, false));
        release(out);
        while (waiting.size() > capacity) {
            skipGap(out);
        }
    }

    /** Releases everything still waiting, in order, counting the gaps as lost. */
    public void flush(Consumer<RtpPacket> out) {
        if (next < 0 && !waiting.isEmpty()) {
            next = waiting.firstKey();
        }
        while (!waiting.isEmpty()) {
            skipGap(out);
        }
    }

    private void release(Consumer<RtpPacket> out) {
        RtpPacket head;
        while ((head = waiting.get(next)) != null) {
            waiting.remove(next);
            released[(int) (next & (released.length - 1))] = next;
            next++;
            if (gapBeforeNext) {
                head = new RtpPacket(head.sequence(), head.timestamp(), head.marker(), head.payload(), true);
                gapBeforeNext = false;
            }
            out.accept(head);
        }
    }

    /** Gives up on the packets missing before the oldest waiting one. */
    private void skipGap(Consumer<RtpPacket> out) {
        long oldest = waiting.firstKey();
        if (oldest > next) {
            lost += oldest - next;
            gapBeforeNext = true;
            next = oldest;
        }
        release(out);
    }

    /** Packets given up on (never arrived while the buffer waited). */
    public long lost() {
        return lost;
    }

    /** Packets that arrived after a later one was released, dropped. */
    public long late() {
        return late;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Packets waiting for an earlier one. */
    public int waiting() {
        return waiting.size();
    }
}
