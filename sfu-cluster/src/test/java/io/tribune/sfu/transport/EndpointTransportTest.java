package io.tribune.sfu.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.dtls.DtlsSrtpClient;
import io.tribune.sfu.ice.IceConfig;
import io.tribune.sfu.ice.IceUdpPort;
import io.tribune.sfu.ice.StunPeer;
import io.tribune.sfu.rtp.RtpPacketBuilder;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.srtp.SrtpCrypto;
import io.tribune.sfu.srtp.SrtpKeys;
import io.tribune.sfu.srtp.SrtpProfile;
import io.tribune.sfu.srtp.SrtpReceiver;
import io.tribune.sfu.srtp.SrtpSender;
import io.tribune.sfu.srtp.SrtpStatus;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole transport against a simulated browser in the same JVM: {@link StunPeer} for ICE, a Bouncy Castle
 * DTLS client over the peer's socket, and SRTP with the client's keys.
 */
class EndpointTransportTest {

    private static final DtlsCertificate SERVER_CERTIFICATE = DtlsCertificate.generate(Clock.systemUTC());
    private static final DtlsCertificate BROWSER_CERTIFICATE = DtlsCertificate.generate(Clock.systemUTC());
    private static ScheduledExecutorService scheduler;
    private static IceUdpPort port;

    private final Recorder recorder = new Recorder();
    private EndpointTransport transport;
    private StunPeer peer;
    private DTLSTransport browserDtls;

    static final class Recorder implements MediaListener {
        final CompletableFuture<EndpointTransport> connected = new CompletableFuture<>();
        final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
        final LinkedBlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();

        @Override
        public void onConnected(EndpointTransport t) {
            connected.complete(t);
        }

        @Override
        public void onRtp(PacketBuffer packet) {
            rtp.add(packet.toByteArray());
        }

        @Override
        public void onRtcp(PacketBuffer packet) {
            rtcp.add(packet.toByteArray());
        }

        @Override
        public void onClosed(CloseReason reason) {
            closed.complete(reason);
        }
    }

    @BeforeAll
    static void bind() throws IOException {
        SrtpCrypto.initialize();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        int free;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            free = socket.getLocalPort();
        }
        port = new IceUdpPort(new IceConfig(List.of(InetAddress.getLoopbackAddress()), free, Optional.empty(),
                true, IceConfig.DEFAULT_CONSENT_TIMEOUT));
    }

    @AfterAll
    static void unbind() {
        port.close();
        scheduler.shutdownNow();
    }

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    /** ICE, then DTLS from the browser side; returns the browser's SRTP keys. */
    private SrtpKeys connectBrowser(DtlsCertificate browserCertificate) throws Exception {
        transport = new EndpointTransport("test", port, SERVER_CERTIFICATE, scheduler, Clock.systemUTC(), recorder,
                EndpointTransport.DEFAULT_RECEIVE_QUEUE);
        peer = new StunPeer();
        LocalTransport local = transport.localTransport();
        transport.start(new RemoteTransport(peer.ufrag, peer.password, BROWSER_CERTIFICATE.fingerprint(),
                List.of(peer.candidate())));
        peer.connect(local.candidates().get(0), local.iceUfrag(), local.icePassword(), 10_000);
        DtlsSrtpClient client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), browserCertificate,
                local.fingerprint(), SrtpProfile.AEAD_AES_128_GCM.dtlsId(),
                SrtpProfile.AES_CM_128_HMAC_SHA1_80.dtlsId());
        browserDtls = new DTLSClientProtocol().connect(client, new PeerDatagrams(peer));
        return client.keys();
    }

    /** The browser's DTLS records travel over the StunPeer's socket. */
    private record PeerDatagrams(StunPeer peer) implements DatagramTransport {
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
                byte[] record = peer.dtlsRecords.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (record == null) {
                    return -1;
                }
                System.arraycopy(record, 0, buf, off, record.length);
                return record.length;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            byte[] copy = new byte[len];
            System.arraycopy(buf, off, copy, 0, len);
            peer.send(copy);
        }

        @Override
        public void close() {
        }
    }

    private static byte[] rtp(int ssrc, int seq) {
        return new RtpPacketBuilder().payloadType(111).ssrc(ssrc).sequenceNumber(seq).timestamp(960L * seq)
                .payload(new byte[] {9, 8, 7, 6, 5}).build();
    }

    private static PacketBuffer protect(SrtpSender sender, byte[] plain, boolean rtcp) {
        PacketBuffer packet = PacketBuffer.copyOf(plain, 0, plain.length);
        assertThat(rtcp ? sender.protectRtcp(packet) : sender.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
        return packet;
    }

    @Test
    void carriesSrtpBothWaysAfterIceAndDtls() throws Exception {
        SrtpKeys browser = connectBrowser(BROWSER_CERTIFICATE);
        recorder.connected.get(10, TimeUnit.SECONDS);
        assertThat(browser.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);

        try (SrtpSender browserSender = new SrtpSender(browser);
             SrtpReceiver browserReceiver = new SrtpReceiver(browser, 8)) {
            byte[] plain = rtp(0x1111, 1);
            peer.send(protect(browserSender, plain, false).toByteArray());
            assertThat(recorder.rtp.poll(5, TimeUnit.SECONDS)).isEqualTo(plain);

            byte[] receiverReport = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0x11, 0x11};
            peer.send(protect(browserSender, receiverReport, true).toByteArray());
            assertThat(recorder.rtcp.poll(5, TimeUnit.SECONDS)).isEqualTo(receiverReport);

            byte[] reply = rtp(0x2222, 7);
            assertThat(transport.sendRtp(PacketBuffer.copyOf(reply, 0, reply.length))).isEqualTo(SrtpStatus.OK);
            byte[] wire = peer.received.poll(5, TimeUnit.SECONDS);
            PacketBuffer onWire = PacketBuffer.copyOf(wire, 0, wire.length);
            assertThat(browserReceiver.unprotectRtp(onWire)).isEqualTo(SrtpStatus.OK);
            assertThat(onWire.toByteArray()).isEqualTo(reply);
        }

        TransportStats stats = transport.stats();
        assertThat(stats.rtpDelivered()).isEqualTo(1);
        assertThat(stats.rtcpDelivered()).isEqualTo(1);
        assertThat(stats.packetsOut()).isGreaterThanOrEqualTo(1);
        assertThat(transport.dtlsHandshakeNanos()).isPositive();
    }

    @Test
    void dropsAndCountsReplayedForgedAndUnknownDatagrams() throws Exception {
        SrtpKeys browser = connectBrowser(BROWSER_CERTIFICATE);
        recorder.connected.get(10, TimeUnit.SECONDS);
        try (SrtpSender browserSender = new SrtpSender(browser)) {
            byte[] wire = protect(browserSender, rtp(0x1111, 1), false).toByteArray();
            peer.send(wire);
            peer.send(wire);
            byte[] forged = protect(browserSender, rtp(0x1111, 2), false).toByteArray();
            forged[forged.length - 1] ^= 1;
            peer.send(forged);
            peer.send(new byte[] {0x50, 1, 2, 3});
            byte[] after = rtp(0x1111, 3);
            peer.send(protect(browserSender, after, false).toByteArray());

            assertThat(recorder.rtp.poll(5, TimeUnit.SECONDS)).isEqualTo(rtp(0x1111, 1));
            assertThat(recorder.rtp.poll(5, TimeUnit.SECONDS)).isEqualTo(after);
        }
        assertThat(transport.srtpRtpCounters().get(SrtpStatus.REPLAYED)).isEqualTo(1);
        assertThat(transport.srtpRtpCounters().get(SrtpStatus.AUTHENTICATION_FAILED)).isEqualTo(1);
        assertThat(transport.stats().dropped(DropReason.SRTP_REJECTED)).isEqualTo(2);
        assertThat(transport.stats().dropped(DropReason.UNKNOWN_DATAGRAM)).isEqualTo(1);
        assertThat(transport.stats().rtpDelivered()).isEqualTo(2);
    }

    @Test
    void closesWhenTheBrowserClosesDtls() throws Exception {
        connectBrowser(BROWSER_CERTIFICATE);
        recorder.connected.get(10, TimeUnit.SECONDS);

        browserDtls.close();

        assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.DTLS_CLOSED);
    }

    @Test
    void closesWhenTheBrowserCertificateIsNotTheOneInItsOffer() {
        DtlsCertificate impostor = DtlsCertificate.generate(Clock.systemUTC());

        try {
            connectBrowser(impostor);
        } catch (Exception expected) {
            // The browser side sees the fatal alert.
        }

        assertThat(recorder.closed).succeedsWithin(Duration.ofSeconds(10))
                .isEqualTo(CloseReason.DTLS_FAILED);
        assertThat(recorder.connected).isNotDone();
    }
}
