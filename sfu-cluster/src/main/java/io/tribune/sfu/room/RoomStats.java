package io.tribune.sfu.room;

/**
 * A snapshot of one room (or, summed, of the node) for metrics and the node registry. Traffic and feedback counts
 * include the participants who already left, so they only grow while the room lives. Immutable.
 *
 * @param participants endpoints in the room
 * @param publishedTracks tracks its participants publish
 * @param streams down tracks: one per published track and subscriber
 * @param pausedStreams down tracks last-N holds back
 * @param packetsIn datagrams received (media, RTCP, DTLS, STUN)
 * @param bytesIn their bytes
 * @param packetsOut datagrams sent
 * @param bytesOut their bytes
 * @param nacksReceived NACK packets from subscribers
 * @param nacksSent NACK packets the node sent to publishers (what its cache could not answer)
 * @param keyFrameRequestsReceived PLI and FIR entries from subscribers
 * @param plisSent PLIs the node sent to publishers
 * @param lossRatio the mean of the latest fraction lost the subscribers reported, 0..1; -1 before any report
 * @param rttMillis the mean round-trip time from the subscribers' reports (RFC 3550 §6.4.1 LSR/DLSR); -1 if none
 */
public record RoomStats(int participants, int publishedTracks, int streams, int pausedStreams, long packetsIn,
                        long bytesIn, long packetsOut, long bytesOut, long nacksReceived, long nacksSent,
                        long keyFrameRequestsReceived, long plisSent, double lossRatio, double rttMillis) {

    public static final RoomStats EMPTY = new RoomStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1);

    /** Counts added; gauges (participants, tracks, streams) added; loss and RTT: the first one known. */
    public RoomStats plus(RoomStats other) {
        return new RoomStats(participants + other.participants, publishedTracks + other.publishedTracks,
                streams + other.streams, pausedStreams + other.pausedStreams, packetsIn + other.packetsIn,
                bytesIn + other.bytesIn, packetsOut + other.packetsOut, bytesOut + other.bytesOut,
                nacksReceived + other.nacksReceived, nacksSent + other.nacksSent,
                keyFrameRequestsReceived + other.keyFrameRequestsReceived, plisSent + other.plisSent,
                lossRatio >= 0 ? lossRatio : other.lossRatio, rttMillis >= 0 ? rttMillis : other.rttMillis);
    }

    /** Only the counts (what stays of a room or participant that is gone). */
    RoomStats countsOnly() {
        return new RoomStats(0, 0, 0, 0, packetsIn, bytesIn, packetsOut, bytesOut, nacksReceived, nacksSent,
                keyFrameRequestsReceived, plisSent, -1, -1);
    }
}
