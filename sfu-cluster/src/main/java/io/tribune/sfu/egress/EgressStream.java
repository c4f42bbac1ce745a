package io.tribune.sfu.egress;

import io.tribune.sfu.room.PublishedTrack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * One stage track as the egress sends it: its slot (port), the egress's own SSRC and payload type, and the
 * rewriting state that keeps sequence numbers and timestamps continuous when the forwarded simulcast layer or the
 * publisher's SSRC changes.
 *
 * <p>Thread-safety: the final fields are set under the egress's lock before the stream is reachable from the
 * fan-out; the rewriting state belongs to the egress's send pipeline (one thread at a time, under its lock); the
 * counters are read by any thread.
 */
final class EgressStream {

    final PublishedTrack track;
    final int slot;
    final InetSocketAddress address;
    final EgressDescription.Stream description;
    /** Connected to the stream's port: a connected send skips the per-packet address handling of an open one. */
    final DatagramChannel channel;

    // Send pipeline state.
    /** The simulcast layer forwarded now; -1 until its first key frame (audio: 0 from the first packet). */
    int currentLayer = -1;
    boolean started;
    long sourceSsrc = -1;
    int sequenceOffset;
    long timestampOffset;
    int lastSequence;
    long lastTimestamp;
    long lastSentNanos;

    volatile long packetsSent;
    volatile long layerSwitches;

    EgressStream(PublishedTrack track, int slot, InetSocketAddress address, EgressDescription.Stream description)
            throws IOException {
        this.track = track;
        this.slot = slot;
        this.address = address;
        this.description = description;
        this.channel = DatagramChannel.open();
        try {
            channel.connect(address);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do: the stream is gone.
        }
    }

    boolean isVideo() {
        return description.media().equals("video");
    }

    long ssrc() {
        return description.ssrc();
    }

    int payloadType() {
        return description.payloadType();
    }
}
