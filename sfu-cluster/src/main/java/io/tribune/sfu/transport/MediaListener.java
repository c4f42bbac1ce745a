package io.tribune.sfu.transport;

import io.tribune.sfu.srtp.PacketBuffer;

/**
 * Receives what an {@link EndpointTransport} decrypts and learns. The packet callbacks run on the endpoint's
 * pipeline thread, one at a time, and own the buffer they are given. The lifecycle callbacks run on ICE or DTLS
 * threads. No callback may block.
 */
public interface MediaListener {

    /** DTLS completed and SRTP keys are in place: media can flow both ways. */
    void onConnected(EndpointTransport transport);

    /** A decrypted, well-formed RTP packet. */
    void onRtp(PacketBuffer packet);

    /** A decrypted compound RTCP packet whose headers are well formed. */
    void onRtcp(PacketBuffer packet);

    /** The transport closed, for this reason; it delivers nothing more. */
    void onClosed(CloseReason reason);
}
