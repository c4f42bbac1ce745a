package io.tribune.sfu.load;

import java.util.List;

/**
 * A room under load: publishers sending real SRTP through an SFU to subscribers that decrypt and count it. Made by
 * {@link TribuneRoomLoad} (our SFU) or {@link JanusRoomLoad} (Janus's videoroom) with the same {@link LoadPeer}s.
 */
public interface RoomLoad extends AutoCloseable {

    List<PublishedMedia> publishers();

    List<LoadPeer> subscribers();

    /** Sent by all publishers, received (decrypted) and rejected by all subscribers, so far. */
    default Counts counts() {
        long sent = 0;
        for (PublishedMedia media : publishers()) {
            sent += media.peer().rtpSent();
        }
        long received = 0;
        long rejected = 0;
        for (LoadPeer peer : subscribers()) {
            received += peer.rtpReceived();
            rejected += peer.rtpRejected();
        }
        return new Counts(System.nanoTime(), sent, received, rejected);
    }

    /** Counters at one moment. */
    record Counts(long nanos, long sent, long received, long rejected) {

        /** What happened between {@code earlier} and this. */
        public Counts minus(Counts earlier) {
            return new Counts(nanos - earlier.nanos, sent - earlier.sent, received - earlier.received,
                    rejected - earlier.rejected);
        }
    }

    @Override
    void close();
}
