package io.tribune.sfu.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One endpoint's DTLS-SRTP association, with us as the DTLS server (we answer {@code a=setup:passive}).
 *
 * <p>Lifecycle: create it as soon as the offer is accepted, so records that arrive early are queued (Chromium
 * starts DTLS before ice4j has a valid pair, probe pitfall 4); call {@link #start()} once ICE has a valid pair;
 * the listener hears the outcome; {@link #close()} sends close_notify and stops the thread.
 *
 * <p>Threading: Bouncy Castle's DTLS API blocks, so each session runs its handshake, and then its reads of
 * post-handshake records (retransmitted Finished, close_notify), on its own daemon thread. {@link #receive} is
 * called from the network thread and never blocks. Thread-safe.
 */
public final class DtlsSession implements AutoCloseable {

    /** How long the post-handshake reader waits per receive before re-checking for close. */
    private static final int READ_WAIT_MILLIS = 1000;

    private final QueuedDatagramTransport transport;
    private final DtlsSrtpServer server;
    private final DtlsListener listener;
    private final String name;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile DTLSTransport established;
    private volatile Thread thread;
    private volatile long handshakeNanos = -1;

    /**
     * @param certificate the node's certificate
     * @param remoteFingerprint the {@code a=fingerprint} of the remote SDP
     * @param sender where our records go
     * @param listener told of completion, failure and close
     * @param name used to name the thread, e.g. the endpoint id
     */
    public DtlsSession(DtlsCertificate certificate, Fingerprint remoteFingerprint, DatagramSender sender,
                       DtlsListener listener, String name) {
        this.transport = new QueuedDatagramTransport(sender);
        this.server = new DtlsSrtpServer(new BcTlsCrypto(new SecureRandom()), certificate, remoteFingerprint);
        this.listener = listener;
        this.name = name;
    }

    /** Hands in a received DTLS record (RFC 7983 first byte 20–63). Copies it; never blocks. */
    public void receive(byte[] buf, int off, int len) {
        if (!closed) {
            transport.offer(buf, off, len);
        }
    }

    /** Starts the handshake thread; later calls do nothing. */
    public void start() {
        if (!started.compareAndSet(false, true) || closed) {
            return;
        }
        Thread t = new Thread(this::run, "dtls-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        long begin = System.nanoTime();
        DTLSTransport dtls;
        try {
            dtls = new DTLSServerProtocol().accept(server, transport);
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                listener.onHandshakeFailed(e);
            }
            return;
        }
        handshakeNanos = System.nanoTime() - begin;
        established = dtls;
        if (closed) {
            closeQuietly(dtls);
            return;
        }
        listener.onHandshakeComplete(server.keys());
        readUntilClosed(dtls);
    }

    /**
     * Keeps BC reading so it answers retransmitted flights and notices close_notify. BC closes our transport when
     * the peer's close_notify or a fatal alert arrives; a read error means the same.
     */
    private void readUntilClosed(DTLSTransport dtls) {
        byte[] buf = new byte[1500];
        try {
            while (!closed && !transport.isClosed()) {
                // WebRTC sends no application data over this DTLS association (no data channels here).
                dtls.receive(buf, 0, buf.length, READ_WAIT_MILLIS);
            }
        } catch (IOException e) {
            transport.close();
        }
        if (!closed) {
            closed = true;
            listener.onClosed();
        }
    }

    /** Nanoseconds from {@link #start()} to a completed handshake; -1 until then. */
    public long handshakeNanos() {
        return handshakeNanos;
    }

    /** The negotiated TLS cipher suite (IANA number); 0 until the handshake completes. */
    public int cipherSuite() {
        return server.negotiatedCipherSuite();
    }

    /** Records dropped because the queue was full. */
    public long droppedRecords() {
        return transport.dropped();
    }

    /** Sends that failed (e.g. before ICE had a valid pair) and were left to BC's retransmission. */
    public long failedSends() {
        return transport.sendFailures();
    }

    /** Sends close_notify if established and stops the thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DTLSTransport dtls = established;
        if (dtls != null) {
            closeQuietly(dtls);
        }
        transport.close();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private static void closeQuietly(DTLSTransport dtls) {
        try {
            dtls.close();
        } catch (IOException e) {
            // The peer may already be gone; nothing to do.
        }
    }
}
