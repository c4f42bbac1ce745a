package io.tribune.sfu.ice;

/**
 * Receives the non-STUN datagrams of one endpoint (DTLS, SRTP, SRTCP).
 *
 * <p>Called on the port's single receive thread, shared by every endpoint of the node: implementations must
 * never block, only copy or hand off, and must not keep {@code buf} after returning.
 */
@FunctionalInterface
public interface DatagramHandler {

    void onDatagram(byte[] buf, int off, int len);
}
