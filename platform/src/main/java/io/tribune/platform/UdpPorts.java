package io.tribune.platform;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/** Free UDP ports on loopback for tests that give a service a range (RTP: an even port, RTCP on the odd one). */
public final class UdpPorts {

    private UdpPorts() {
    }

    /**
     * An even port from which {@code count} UDP ports on 127.0.0.1 were all free a moment ago (each is bound and
     * released to check; another process may still take one before the caller binds it).
     *
     * @throws IOException when 50 tries found no such range
     */
    public static int evenFreeBlock(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int start;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                start = probe.getLocalPort() & ~1;
            }
            List<DatagramSocket> held = new ArrayList<>();
            boolean free = start + count < 65_000;
            try {
                for (int port = start; free && port < start + count; port++) {
                    held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                }
            } catch (SocketException e) {
                free = false;
            } finally {
                held.forEach(DatagramSocket::close);
            }
            if (free) {
                return start;
            }
        }
        throw new IOException("no free range of " + count + " UDP ports");
    }
}
