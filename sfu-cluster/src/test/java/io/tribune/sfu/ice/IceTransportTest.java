package io.tribune.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our ICE transport against {@link StunPeer}, a controlling peer on loopback. The module's Surefire configuration sets
 * ice4j's consent check interval to 1 s so that consent can be observed within a short test.
 */
class IceTransportTest {

    /** ice4j's ice4j.ice.termination-delay: how long after COMPLETED it goes on answering with checks of its own. */
    private static final long ICE4J_TERMINATION_DELAY_MILLIS = 3000;

    private static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(4);
    private static ScheduledExecutorService scheduler;
    private static IceUdpPort port;

    private final Events events = new Events();
    private final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private IceTransport transport;
    private StunPeer peer;

    static final class Events implements IceListener {
        final CompletableFuture<Void> writable = new CompletableFuture<>();
        final AtomicInteger connected = new AtomicInteger();
        final CompletableFuture<Void> failed = new CompletableFuture<>();
        final CompletableFuture<Void> consentExpired = new CompletableFuture<>();

        @Override
        public void onWritable() {
            writable.complete(null);
        }

        @Override
        public void onConnected() {
            connected.incrementAndGet();
        }

        @Override
        public void onFailed() {
            failed.complete(null);
        }

        @Override
        public void onConsentExpired() {
            consentExpired.complete(null);
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @BeforeAll
    static void bindPorts() throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        port = new IceUdpPort(new IceConfig(List.of(InetAddress.getLoopbackAddress()), freeUdpPort(),
                Optional.empty(), false, CONSENT_TIMEOUT));
    }

    @AfterAll
    static void closePorts() {
        port.close();
        scheduler.shutdownNow();
    }

    @AfterEach
    void closeAgents() {
        if (transport != null) {
            transport.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    private void connect() throws Exception {
        transport = new IceTransport(port, events, (buf, off, len) -> {
            byte[] copy = new byte[len];
            System.arraycopy(buf, off, copy, 0, len);
            received.add(copy);
        }, scheduler, Clock.systemUTC());
        peer = new StunPeer();
        transport.start(peer.ufrag, peer.password, List.of(peer.candidate()));
        peer.connect(transport.localCandidates().get(0), transport.localUfrag(), transport.localPassword(), 10_000);
        events.writable.get(10, TimeUnit.SECONDS);
    }

    @Test
    void offersAHostCandidateOnTheSharedPort() throws Exception {
        transport = new IceTransport(port, events, (buf, off, len) -> { }, scheduler, Clock.systemUTC());

        assertThat(transport.localCandidates()).singleElement().satisfies(candidate -> {
            assertThat(candidate.address()).isEqualTo("127.0.0.1");
            assertThat(candidate.port()).isEqualTo(port.config().port());
            assertThat(candidate.type()).isEqualTo("host");
            assertThat(candidate.priority()).isEqualTo(2130706431L);
        });
        assertThat(transport.localUfrag()).isNotBlank();
        assertThat(transport.localPassword()).hasSizeGreaterThanOrEqualTo(22);
    }

    @Test
    void connectsAndCarriesDatagramsBothWays() throws Exception {
        connect();

        peer.send(new byte[] {(byte) 0x80, 96, 0, 1});
        transport.send(new byte[] {(byte) 0x80, 97, 0, 2}, 0, 4);

        assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly(0x80, 96, 0, 1);
        assertThat(peer.received.poll(5, TimeUnit.SECONDS)).containsExactly(0x80, 97, 0, 2);
    }

    @Test
    void sendsOnThePairThePeerLastSentOnEvenAfterIceCompleted() throws Exception {
        connect();
        // The same browser's second candidate checks in while ICE is still running (as Chromium's do).
        try (StunPeer second = new StunPeer(peer)) {
            second.connect(transport.localCandidates().get(0), transport.localUfrag(), transport.localPassword(),
                    10_000);
            Thread.sleep(ICE4J_TERMINATION_DELAY_MILLIS + 1000); // ice4j stops checking 3 s after completion

            // Whichever pair the browser moves its media to, ours follows, back and forth.
            for (StunPeer sender : List.of(second, peer, second)) {
                peer.received.clear();
                second.received.clear();
                sender.send(new byte[] {(byte) 0x80, 96, 0, 1});
                assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly(0x80, 96, 0, 1);
                transport.send(new byte[] {(byte) 0x80, 97, 0, 2}, 0, 4);
                assertThat(sender.received.poll(5, TimeUnit.SECONDS)).as("the reply goes where the payload came from")
                        .containsExactly(0x80, 97, 0, 2);
                assertThat((sender == peer ? second : peer).received).isEmpty();
            }
        }
    }

    @Test
    void keepsConsentWhileThePeerAnswersAndLosesItWhenThePeerLeaves() throws Exception {
        connect();

        // Longer than the consent timeout: only answered consent checks keep the endpoint alive.
        Thread.sleep(CONSENT_TIMEOUT.toMillis() + 1500);
        assertThat(events.consentExpired).isNotDone();

        peer.answering.set(false);
        long left = System.nanoTime();
        events.consentExpired.get(CONSENT_TIMEOUT.toSeconds() + 20, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - left)).isLessThan(CONSENT_TIMEOUT.plusSeconds(3));
    }

    @Test
    void restartsWithNewCredentialsAndReconnects() throws Exception {
        connect();
        String oldUfrag = transport.localUfrag();
        peer.close();

        transport.restart();
        peer = new StunPeer();
        transport.start(peer.ufrag, peer.password, List.of(peer.candidate()));
        peer.connect(transport.localCandidates().get(0), transport.localUfrag(), transport.localPassword(), 10_000);

        assertThat(transport.localUfrag()).isNotEqualTo(oldUfrag);
        peer.send(new byte[] {(byte) 0x80, 96, 0, 3});
        assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly(0x80, 96, 0, 3);
        // The peer's check succeeding does not mean ours has (a controlled agent validates the pair with its
        // triggered check); the first connect's writable event is spent, so poll the new agent.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!transport.isWritable() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        transport.send(new byte[] {(byte) 0x80, 97, 0, 4}, 0, 4);
        assertThat(peer.received.poll(5, TimeUnit.SECONDS)).containsExactly(0x80, 97, 0, 4);
    }

    @Test
    void announcesAConfiguredPublicAddressAsServerReflexive() throws Exception {
        try (IceUdpPort natted = new IceUdpPort(new IceConfig(List.of(InetAddress.getLoopbackAddress()),
                freeUdpPort(), Optional.of(InetAddress.getByName("203.0.113.7")), true, CONSENT_TIMEOUT))) {
            transport = new IceTransport(natted, events, (buf, off, len) -> { }, scheduler, Clock.systemUTC());

            assertThat(transport.localCandidates()).hasSize(2).last().satisfies(candidate -> {
                assertThat(candidate.type()).isEqualTo("srflx");
                assertThat(candidate.address()).isEqualTo("203.0.113.7");
                assertThat(candidate.port()).isEqualTo(natted.config().port());
                assertThat(candidate.relatedAddress()).isEqualTo("127.0.0.1");
                assertThat(candidate.toSdpValue()).endsWith("typ srflx raddr 127.0.0.1 rport "
                        + natted.config().port());
            });
        }
    }
}
