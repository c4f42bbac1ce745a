package io.tribune.sfu.load;

import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.dtls.DtlsSrtpClient;
import io.tribune.sfu.dtls.Fingerprint;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.srtp.SrtpKeys;
import io.tribune.sfu.srtp.SrtpProfile;
import io.tribune.sfu.srtp.SrtpReceiver;
import io.tribune.sfu.srtp.SrtpSender;
import io.tribune.sfu.srtp.SrtpStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One simulated browser peer connection for load tests: its own UDP socket, ICE as the controlling agent
 * (aggressive nomination, answering the other side's checks and consent requests), DTLS 1.2 as the client
 * ({@code a=setup:active}) and SRTP both ways with the negotiated keys. Received SRTP is authenticated and
 * decrypted, then counted.
 *
 * <pre>
 *   receive thread "load-NAME": socket -> STUN (answer requests, note success)
 *                                      -> DTLS records (queue for the handshake)
 *                                      -> SRTP: decrypt, count; SRTCP: count
 *   one sending thread:         sendRtp: encrypt, socket
 * </pre>
 *
 * <p>Thread-safety: {@link #sendRtp} is for one thread at a time; counters are readable from any thread.
 */
public final class LoadPeer implements AutoCloseable {

    private final String name;
    private final DtlsCertificate certificate;
    private final DatagramChannel channel;
    private final String ufrag;
    private final String password;
    private final long tieBreaker = ThreadLocalRandom.current().nextLong();
    private final BlockingQueue<byte[]> dtlsRecords = new ArrayBlockingQueue<>(256);
    private final Thread receiver;
    private final byte[] sendBuffer = new byte[1500 + PacketBuffer.TAIL_ROOM];
    private volatile InetSocketAddress remote;
    private volatile String remotePassword;
    private volatile boolean iceSucceeded;
    private volatile SrtpSender srtpSender;
    private volatile SrtpReceiver srtpReceiver;
    private volatile DTLSTransport dtls;
    // Written by the receive thread only (plain volatile writes, read anywhere).
    private volatile long rtpReceived;
    private volatile long rtpReceivedBytes;
    private volatile long rtpRejected;
    private volatile long rtcpReceived;
    // Written by the sending thread only.
    private volatile long rtpSent;

    /**
     * @param bind the local address (port chosen by the system)
     * @param certificate this peer's DTLS certificate; its fingerprint goes into the offer or answer
     */
    public LoadPeer(String name, InetAddress bind, DtlsCertificate certificate) throws IOException {
        this.name = name;
        this.certificate = certificate;
        SecureRandom random = new SecureRandom();
        byte[] u = new byte[6];
        random.nextBytes(u);
        this.ufrag = "ld" + HexFormat.of().formatHex(u);
        byte[] p = new byte[16];
        random.nextBytes(p);
        this.password = HexFormat.of().formatHex(p);
        this.channel = DatagramChannel.open();
        // Bursts of video to many subscribers: the default buffer would overflow while this thread is descheduled.
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        channel.bind(new InetSocketAddress(bind, 0));
        this.receiver = new Thread(this::receive, "load-" + name);
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    public String name() {
        return name;
    }

    public String ufrag() {
        return ufrag;
    }

    public String password() {
        return password;
    }

    public Fingerprint fingerprint() {
        return certificate.fingerprint();
    }

    /** The socket's address: this peer's one host candidate. */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * ICE checks to {@code target} every 50 ms until one succeeds, then the DTLS handshake as client, checking the
     * server's certificate against {@code remoteFingerprint}. Returns once SRTP keys are in place.
     *
     * @throws IOException when ICE or DTLS does not complete within {@code timeout}
     */
    public void connect(InetSocketAddress target, String remoteUfrag, String remotePwd, Fingerprint remoteFingerprint,
                        Duration timeout) throws IOException, InterruptedException {
        remote = target;
        remotePassword = remotePwd;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!iceSucceeded) {
            if (System.nanoTime() > deadline) {
                throw new IOException(name + ": no ICE success response from " + target);
            }
            channel.send(ByteBuffer.wrap(StunMessages.bindingRequest(remoteUfrag + ":" + ufrag, remotePwd,
                    tieBreaker)), target);
            Thread.sleep(50);
        }
        DtlsSrtpClient client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), certificate,
                remoteFingerprint, SrtpProfile.AEAD_AES_128_GCM.dtlsId(),
                SrtpProfile.AES_CM_128_HMAC_SHA1_80.dtlsId());
        dtls = new DTLSClientProtocol().connect(client, new Datagrams());
        SrtpKeys keys = client.keys();
        srtpReceiver = new SrtpReceiver(keys, 64);
        srtpSender = new SrtpSender(keys);
    }

    public boolean isConnected() {
        return srtpSender != null;
    }

    /**
     * Encrypts a plain RTP packet (copied; {@code plain} is left as it is) and sends it to the remote peer. For one
     * thread at a time.
     *
     * @return false if not connected or encryption failed
     */
    public boolean sendRtp(byte[] plain, int length) throws IOException {
        SrtpSender sender = srtpSender;
        if (sender == null) {
            return false;
        }
        System.arraycopy(plain, 0, sendBuffer, 0, length);
        PacketBuffer packet = new PacketBuffer(sendBuffer, 0, length);
        if (sender.protectRtp(packet) != SrtpStatus.OK) {
            return false;
        }
        channel.send(ByteBuffer.wrap(packet.getBuffer(), packet.getOffset(), packet.getLength()), remote);
        rtpSent++;
        return true;
    }

    private void receive() {
        ByteBuffer in = ByteBuffer.allocate(2048);
        byte[] buf = in.array();
        while (channel.isOpen()) {
            InetSocketAddress from;
            try {
                in.clear();
                from = (InetSocketAddress) channel.receive(in);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            int len = in.position();
            if (len == 0) {
                continue;
            }
            int first = buf[0] & 0xff;
            if (first < 4) {
                stun(buf, len, from);
            } else if (first >= 20 && first <= 63) {
                byte[] record = new byte[len];
                System.arraycopy(buf, 0, record, 0, len);
                dtlsRecords.offer(record);
            } else if (first >= 128 && first <= 191) {
                int second = buf[1] & 0xff;
                if (second >= 192 && second <= 223) {
                    rtcpReceived++;
                } else {
                    srtp(buf, len);
                }
            }
        }
    }

    private void stun(byte[] buf, int len, InetSocketAddress from) {
        int type = StunMessages.type(buf, len);
        if (type == StunMessages.BINDING_SUCCESS) {
            iceSucceeded = true;
        } else if (type == StunMessages.BINDING_REQUEST) {
            try {
                channel.send(ByteBuffer.wrap(StunMessages.bindingSuccess(buf, from, password)), from);
            } catch (IOException e) {
                // Unanswered checks show as a dead peer on the other side.
            }
        }
    }

    private void srtp(byte[] buf, int len) {
        SrtpReceiver r = srtpReceiver;
        if (r == null) {
            rtpRejected++;
            return;
        }
        if (r.unprotectRtp(new PacketBuffer(buf, 0, len)) == SrtpStatus.OK) {
            rtpReceived++;
            rtpReceivedBytes += len;
        } else {
            rtpRejected++;
        }
    }

    /** RTP packets received, authenticated and decrypted. */
    public long rtpReceived() {
        return rtpReceived;
    }

    public long rtpReceivedBytes() {
        return rtpReceivedBytes;
    }

    /** RTP packets that failed SRTP (authentication, replay, no context) or came before the keys. */
    public long rtpRejected() {
        return rtpRejected;
    }

    public long rtcpReceived() {
        return rtcpReceived;
    }

    public long rtpSent() {
        return rtpSent;
    }

    @Override
    public void close() {
        DTLSTransport transport = dtls;
        if (transport != null) {
            try {
                transport.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do.
        }
        SrtpSender sender = srtpSender;
        if (sender != null) {
            sender.close();
        }
    }

    /** DTLS records over the peer's socket: in from the receive thread's queue, out to the remote address. */
    private final class Datagrams implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] record = dtlsRecords.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (record == null) {
                    return -1;
                }
                int n = Math.min(len, record.length);
                System.arraycopy(record, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            channel.send(ByteBuffer.wrap(buf, off, len), remote);
        }

        @Override
        public void close() {
        }
    }
}
