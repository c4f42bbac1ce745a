package io.tribune.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Fuzzes our DTLS server (Bouncy Castle's protocol with {@link DtlsSrtpServer}, as {@link DtlsSession} runs it)
 * with arbitrary datagrams from a peer that holds no key: the handshake must never complete, and it ends with an
 * exception that {@code DtlsSession} turns into a failed handshake (an {@link IOException} such as a fatal alert, or
 * a {@link RuntimeException}), never an {@link Error}. Without {@code JAZZER_FUZZ=1} this replays the seeds under
 * {@code DtlsHandshakeFuzzTestInputs}.
 */
class DtlsHandshakeFuzzTest {

    private static final DtlsCertificate SERVER = DtlsCertificate.generate(Clock.systemUTC());
    private static final DtlsCertificate CLIENT = DtlsCertificate.generate(Clock.systemUTC());

    @FuzzTest(maxDuration = "30s")
    void noHandshakeCompletesFromArbitraryRecords(FuzzedDataProvider data) {
        Deque<byte[]> datagrams = new ArrayDeque<>();
        for (int i = 0; i < 4 && data.remainingBytes() > 0; i++) {
            datagrams.add(data.consumeBytes(data.consumeInt(1, 1500)));
        }
        DtlsSrtpServer server = new DtlsSrtpServer(new BcTlsCrypto(new SecureRandom()), SERVER,
                CLIENT.fingerprint());
        try {
            new DTLSServerProtocol().accept(server, new ScriptedPeer(datagrams));
            fail("a handshake completed from fuzzed datagrams");
        } catch (IOException | RuntimeException refused) {
            assertThat(server.keys()).isNull();
        }
    }

    /** Delivers the datagrams in order, then reports the peer gone; what the server sends is dropped. */
    private static final class ScriptedPeer implements DatagramTransport {
        private final Deque<byte[]> datagrams;

        ScriptedPeer(Deque<byte[]> datagrams) {
            this.datagrams = datagrams;
        }

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
            byte[] next = datagrams.poll();
            if (next == null) {
                throw new IOException("the fuzzed peer is gone");
            }
            int n = Math.min(len, next.length);
            System.arraycopy(next, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
        }

        @Override
        public void close() {
        }
    }
}
