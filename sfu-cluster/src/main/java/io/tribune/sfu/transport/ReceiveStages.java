package io.tribune.sfu.transport;

import io.tribune.sfu.pipeline.Node;

/**
 * What follows the transport's own nodes in an endpoint's receive pipeline: the first node of the path for
 * decrypted, well-formed RTP and the first for RTCP. The nodes run on the endpoint's pipeline thread and belong
 * to that pipeline only.
 */
public interface ReceiveStages {

    /** Where decrypted RTP goes; its header fields are set on the {@code PacketInfo}. */
    Node rtp();

    /** Where decrypted compound RTCP with well-formed headers goes. */
    Node rtcp();
}
