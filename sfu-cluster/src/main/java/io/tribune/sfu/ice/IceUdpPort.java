package io.tribune.sfu.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;

/**
 * The node's one UDP media port: a {@link SinglePortUdpHarvester} per configured host address, shared by every
 * endpoint's ICE agent. A datagram from a new remote address is routed by the ufrag in its first STUN Binding
 * Request, later ones by address (RFC 8445 §7.3). Non-STUN datagrams are pushed to the owning component's buffer
 * callback on the harvester's single receive thread.
 *
 * <p>Thread-safe; create one per node and close it on shutdown.
 */
public final class IceUdpPort implements AutoCloseable {

    private final List<SinglePortUdpHarvester> harvesters = new ArrayList<>();
    private final IceConfig config;

    /**
     * Binds the port on every host address.
     *
     * @throws IOException when the port is taken on one of them
     */
    public IceUdpPort(IceConfig config) throws IOException {
        configureIce4j();
        this.config = config;
        try {
            for (InetAddress address : config.hostAddresses()) {
                harvesters.add(new SinglePortUdpHarvester(new TransportAddress(address, config.port(),
                        Transport.UDP)));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * ice4j reads these once, when its first classes load, so they are set before any of them is used. System
     * properties override ice4j's reference.conf (shared/probes/webrtc.md).
     */
    static synchronized void configureIce4j() {
        // Push received datagrams to Component.setBufferCallback instead of a socket read loop per component.
        AbstractUdpListener.USE_PUSH_API = true;
        // Off AWS, the EC2 metadata probe on the first Agent costs ~300 ms and a request to 169.254.169.254.
        setIfAbsent("ice4j.harvest.mapping.aws.enabled", "false");
        // Candidates come only from the shared port; link-local and IPv6 discovery would bind more sockets.
        setIfAbsent("ice4j.harvest.use-link-local-addresses", "false");
        setIfAbsent("ice4j.harvest.udp.use-dynamic-ports", "false");
        setIfAbsent("ice4j.software", "");
        // Send on the pair the peer last sent payload on (among the pairs kept alive), not only the first selected.
        setIfAbsent("ice4j.send-to-last-received-from-address", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    List<SinglePortUdpHarvester> harvesters() {
        return harvesters;
    }

    public IceConfig config() {
        return config;
    }

    @Override
    public void close() {
        for (SinglePortUdpHarvester harvester : harvesters) {
            harvester.close();
        }
    }
}
