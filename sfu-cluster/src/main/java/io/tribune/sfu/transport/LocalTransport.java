package io.tribune.sfu.transport;

import io.tribune.sfu.dtls.Fingerprint;
import io.tribune.sfu.ice.IceCandidate;
import java.util.List;

/**
 * What our SDP answer says about the transport: ICE credentials and candidates, DTLS fingerprint. We always
 * answer {@code a=setup:passive} (we are the DTLS server).
 */
public record LocalTransport(String iceUfrag, String icePassword, boolean iceLite, Fingerprint fingerprint,
                             List<IceCandidate> candidates) {

    public LocalTransport {
        candidates = List.copyOf(candidates);
    }
}
