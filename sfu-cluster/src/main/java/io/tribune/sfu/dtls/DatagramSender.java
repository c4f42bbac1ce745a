package io.tribune.sfu.dtls;

import java.io.IOException;

/** Where DTLS records go: the ICE component in production, the other side of a pipe in tests. */
@FunctionalInterface
public interface DatagramSender {

    /** Sends one datagram; may throw while ICE has no valid pair yet. Must be safe to call from any thread. */
    void send(byte[] buf, int off, int len) throws IOException;
}
