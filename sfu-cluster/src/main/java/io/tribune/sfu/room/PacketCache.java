package io.tribune.sfu.room;

import io.tribune.sfu.srtp.PacketBuffer;

/**
 * The last packets sent on one down track, as they went out before encryption, by outgoing sequence number: what
 * a NACK from the subscriber (RFC 4585 §6.2.1) can be answered from without asking the publisher.
 *
 * <p>Not thread-safe: owned by the subscriber's send pipeline (one thread at a time, under its SendLoop's lock).
 */
final class PacketCache {

    /** About a second of 720p video; older packets are not worth retransmitting. */
    static final int CAPACITY = 512;

    private final byte[][] packets = new byte[CAPACITY][];
    private final int[] sequenceNumbers = new int[CAPACITY];

    void put(int sequenceNumber, PacketBuffer packet) {
        int slot = sequenceNumber & (CAPACITY - 1);
        byte[] copy = packets[slot];
        if (copy == null || copy.length != packet.getLength()) {
            copy = new byte[packet.getLength()];
            packets[slot] = copy;
        }
        System.arraycopy(packet.getBuffer(), packet.getOffset(), copy, 0, packet.getLength());
        sequenceNumbers[slot] = sequenceNumber;
    }

    /** The packet sent with this sequence number, or null when it is no longer (or never was) cached. */
    byte[] get(int sequenceNumber) {
        int slot = sequenceNumber & (CAPACITY - 1);
        byte[] packet = packets[slot];
        return packet != null && sequenceNumbers[slot] == sequenceNumber ? packet : null;
    }
}
