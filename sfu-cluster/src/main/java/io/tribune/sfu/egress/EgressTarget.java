package io.tribune.sfu.egress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a room's egress sends: the transcoder's host and the first of its ports. Stream {@code n} (its slot, see
 * {@link EgressDescription.Stream#port()}) goes to {@code basePort + 2n}, leaving each odd port for RTCP as RFC 3550
 * §11 suggests. Immutable.
 *
 * @param host the transcoder's address
 * @param basePort even, 1024..65000
 */
public record EgressTarget(InetAddress host, int basePort) {

    /** Ports reserved per target: 32 streams (8 presenters with camera, screen and microphone, and to spare). */
    public static final int MAX_STREAMS = 32;

    public EgressTarget {
        if (host == null) {
            throw new IllegalArgumentException("egress host is missing");
        }
        if (basePort < 1024 || basePort > 65_000 || basePort % 2 != 0) {
            throw new IllegalArgumentException("egress port must be even and within 1024..65000, not " + basePort);
        }
    }

    /** Parses a host (literal address or name) and port as the control command gives them. */
    public static EgressTarget of(String host, int basePort) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("egress host is missing");
        }
        try {
            return new EgressTarget(InetAddress.getByName(host), basePort);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown egress host " + host);
        }
    }

    InetSocketAddress address(int slot) {
        return new InetSocketAddress(host, port(slot));
    }

    int port(int slot) {
        return basePort + 2 * slot;
    }
}
