package io.tribune.sfu.ice;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * ICE settings of a node.
 *
 * @param hostAddresses the local addresses to offer as host candidates; each gets the one shared {@code port}
 * @param port the node's single UDP media port, shared by every endpoint and demultiplexed by ICE ufrag
 * @param publicAddress the address a 1:1 NAT maps {@code hostAddresses} to (cloud VMs), announced as a
 *     server-reflexive candidate with the same port; empty when the host addresses are reachable as they are
 * @param iceLite whether our SDP says {@code a=ice-lite} (RFC 8445 §2.5): the browser then always controls and
 *     we never need to initiate checks. ice4j runs a full, controlled agent either way; both work with Chromium
 * @param consentTimeout how long the selected pair may go without a consent freshness response before the
 *     endpoint is closed; RFC 7675 §5.1 says 30 seconds
 */
public record IceConfig(List<InetAddress> hostAddresses, int port, Optional<InetAddress> publicAddress,
                        boolean iceLite, Duration consentTimeout) {

    public IceConfig {
        hostAddresses = List.copyOf(hostAddresses);
        if (hostAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one host address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (consentTimeout.isNegative() || consentTimeout.isZero()) {
            throw new IllegalArgumentException("consent timeout must be positive");
        }
    }

    /** RFC 7675 §5.1's consent timeout. */
    public static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);
}
