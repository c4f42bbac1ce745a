package io.tribune.sfu.transport;

import io.tribune.sfu.dtls.Fingerprint;
import io.tribune.sfu.ice.IceCandidate;
import java.util.List;

/** What the peer's SDP offer says about its transport: ICE credentials and candidates, DTLS fingerprint. */
public record RemoteTransport(String iceUfrag, String icePassword, Fingerprint fingerprint,
                              List<IceCandidate> candidates) {

    public RemoteTransport {
        candidates = List.copyOf(candidates);
    }
}
