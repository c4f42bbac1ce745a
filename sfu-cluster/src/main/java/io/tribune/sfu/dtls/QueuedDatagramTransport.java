package io.tribune.sfu.dtls;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DatagramTransport;

/**
 * Bouncy Castle's view of the network for one DTLS session: received records are handed in by the demultiplexer
 * with {@link #offer} (never blocking), and the handshake thread takes them with {@link #receive}.
 *
 * <p>Thread-safe: {@link #offer} runs on the network receive thread, everything else on the handshake thread.
 */
final class QueuedDatagramTransport implements DatagramTransport {

    /** Enough for a full flight with retransmissions; DTLS traffic after the handshake is rare. */
    static final int QUEUE_CAPACITY = 64;
    /** Ethernet MTU minus IP/UDP headers; anything larger is not a DTLS record we expect. */
    private static final int RECEIVE_LIMIT = 1500;
    /** Keep each record within a conservative path MTU, as browsers do. */
    private static final int SEND_LIMIT = 1200;

    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final DatagramSender sender;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private volatile boolean closed;

    QueuedDatagramTransport(DatagramSender sender) {
        this.sender = sender;
    }

    /** Copies a received record in; drops and counts it when the queue is full. Never blocks. */
    void offer(byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        if (!inbound.offer(copy)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    /** Returns the next record's length, or -1 when none arrived within {@code waitMillis} (what BC expects). */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        try {
            byte[] datagram = inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (datagram == null) {
                return -1;
            }
            int n = Math.min(len, datagram.length);
            System.arraycopy(datagram, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        try {
            sender.send(buf, off, len);
        } catch (IOException e) {
            // Typically "no valid pair" while ICE is still checking. BC retransmits its flight, so a lost send
            // only delays the handshake.
            sendFailures.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    long dropped() {
        return dropped.get();
    }

    long sendFailures() {
        return sendFailures.get();
    }
}
