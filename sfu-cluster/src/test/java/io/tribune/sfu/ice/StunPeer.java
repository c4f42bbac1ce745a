package io.tribune.sfu.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import io.tribune.sfu.load.StunMessages;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A browser stand-in for ICE tests, written from RFC 8489 and RFC 8445 rather than with ice4j, on its own port of
 * 127.0.0.1: it sends controlling Binding Requests with USE-CANDIDATE (aggressive nomination), answers the
 * other side's checks (consent freshness included) until told to stop, and queues DTLS records and RTP/RTCP
 * datagrams separately (RFC 7983).
 */
public final class StunPeer implements AutoCloseable {

    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_SUCCESS = 0x0101;
    private static final int USERNAME = 0x0006;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int PRIORITY = 0x0024;
    private static final int USE_CANDIDATE = 0x0025;
    private static final int ICE_CONTROLLING = 0x802A;

    public final String ufrag;
    public final String password;
    public final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<byte[]> dtlsRecords = new LinkedBlockingQueue<>();
    public final AtomicBoolean answering = new AtomicBoolean(true);
    private final DatagramSocket socket;
    private final Thread reader;
    private final SecureRandom random = new SecureRandom();
    private volatile InetSocketAddress remote;
    private volatile boolean successSeen;

    public StunPeer() throws SocketException {
        this("peer" + Integer.toHexString(new SecureRandom().nextInt()),
                "peerpassword" + Long.toHexString(new SecureRandom().nextLong()) + "xx");
    }

    /** Another candidate of the same agent (same credentials), on a port of its own, as a browser's second one. */
    public StunPeer(StunPeer sameAgent) throws SocketException {
        this(sameAgent.ufrag, sameAgent.password);
    }

    private StunPeer(String ufrag, String password) throws SocketException {
        this.ufrag = ufrag;
        this.password = password;
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = new Thread(this::read, "stun-peer");
        reader.setDaemon(true);
        reader.start();
    }

    public IceCandidate candidate() {
        return new IceCandidate("1", 1, "udp", IceCandidate.priority(126, 65535, 1), "127.0.0.1",
                socket.getLocalPort(), "host", null, 0);
    }

    /** Checks the remote candidate every 50 ms until a success response arrives, then returns. */
    public void connect(IceCandidate target, String remoteUfrag, String remotePassword, long timeoutMillis)
            throws IOException, InterruptedException {
        remote = new InetSocketAddress(target.address(), target.port());
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!successSeen && System.currentTimeMillis() < deadline) {
            byte[] request = request(remoteUfrag + ":" + ufrag, remotePassword);
            socket.send(new DatagramPacket(request, request.length, remote));
            Thread.sleep(50);
        }
        if (!successSeen) {
            throw new IOException("no Binding success response");
        }
    }

    public void send(byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, remote));
    }

    private byte[] request(String username, String key) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(200);
        header(b, BINDING_REQUEST);
        StunMessages.attribute(b, USERNAME, user);
        StunMessages.attribute(b, PRIORITY, ByteBuffer.allocate(4).putInt((int) IceCandidate.priority(110, 65535, 1)).array());
        StunMessages.attribute(b, ICE_CONTROLLING, ByteBuffer.allocate(8).putLong(random.nextLong()).array());
        StunMessages.attribute(b, USE_CANDIDATE, new byte[0]);
        return StunMessages.sign(b, key);
    }

    private void header(ByteBuffer b, int type) {
        byte[] transactionId = new byte[12];
        random.nextBytes(transactionId);
        b.putShort((short) type).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
    }

    private void read() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            int type = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
            int first = buf[0] & 0xff;
            if (first >= 20 && first <= 63) {
                dtlsRecords.add(Arrays.copyOf(buf, packet.getLength()));
            } else if (first >= 128) {
                received.add(Arrays.copyOf(buf, packet.getLength()));
            } else if (type == BINDING_SUCCESS) {
                successSeen = true;
            } else if (type == BINDING_REQUEST && answering.get()) {
                answer(buf, (InetSocketAddress) packet.getSocketAddress());
            }
        }
    }

    /** Answers a check or consent request with XOR-MAPPED-ADDRESS, signed with our password (RFC 8445 §7.3). */
    private void answer(byte[] request, InetSocketAddress from) {
        ByteBuffer b = ByteBuffer.allocate(200);
        b.putShort((short) BINDING_SUCCESS).putShort((short) 0).putInt(MAGIC_COOKIE).put(request, 8, 12);
        byte[] ip = from.getAddress().getAddress();
        ByteBuffer mapped = ByteBuffer.allocate(8).put((byte) 0).put((byte) 1)
                .putShort((short) (from.getPort() ^ (MAGIC_COOKIE >>> 16)))
                .putInt(ByteBuffer.wrap(ip).getInt() ^ MAGIC_COOKIE);
        StunMessages.attribute(b, XOR_MAPPED_ADDRESS, mapped.array());
        byte[] response = StunMessages.sign(b, password);
        try {
            socket.send(new DatagramPacket(response, response.length, from));
        } catch (IOException e) {
            // The test will notice missing connectivity.
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
