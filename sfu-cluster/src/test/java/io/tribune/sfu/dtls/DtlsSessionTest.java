package io.tribune.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribune.sfu.srtp.SrtpKeys;
import io.tribune.sfu.srtp.SrtpProfile;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our DTLS server against a Bouncy Castle DTLS client in the same JVM, over an in-memory datagram pipe.
 */
class DtlsSessionTest {

    private static final DtlsCertificate SERVER_CERTIFICATE = DtlsCertificate.generate(Clock.systemUTC());
    private static final DtlsCertificate CLIENT_CERTIFICATE = DtlsCertificate.generate(Clock.systemUTC());

    private final RecordingListener listener = new RecordingListener();
    private QueuedDatagramTransport clientTransport;
    private DtlsSession session;

    static final class RecordingListener implements DtlsListener {
        final CompletableFuture<SrtpKeys> keys = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void onHandshakeComplete(SrtpKeys srtpKeys) {
            keys.complete(srtpKeys);
        }

        @Override
        public void onHandshakeFailed(Exception cause) {
            keys.completeExceptionally(cause);
        }

        @Override
        public void onClosed() {
            closed.complete(null);
        }
    }

    /** Wires a session and a client transport to each other; the session is not started yet. */
    private void connect(Fingerprint clientFingerprintInServerSdp) {
        QueuedDatagramTransport[] client = new QueuedDatagramTransport[1];
        session = new DtlsSession(SERVER_CERTIFICATE, clientFingerprintInServerSdp,
                (buf, off, len) -> client[0].offer(buf, off, len), listener, "test");
        clientTransport = new QueuedDatagramTransport((buf, off, len) -> session.receive(buf, off, len));
        client[0] = clientTransport;
    }

    private CompletableFuture<DTLSTransport> startClient(DtlsSrtpClient client) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSClientProtocol().connect(client, clientTransport);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static DtlsSrtpClient client(Fingerprint serverFingerprint, int... profiles) {
        return new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), CLIENT_CERTIFICATE, serverFingerprint,
                profiles);
    }

    @AfterEach
    void closeSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void bothSidesDeriveMirroredSrtpKeysPreferringGcm() throws Exception {
        connect(CLIENT_CERTIFICATE.fingerprint());
        DtlsSrtpClient client = client(SERVER_CERTIFICATE.fingerprint(),
                SrtpProfile.AES_CM_128_HMAC_SHA1_80.dtlsId(), SrtpProfile.AEAD_AES_128_GCM.dtlsId());
        CompletableFuture<DTLSTransport> clientDone = startClient(client);
        // The client's first flight arrives before ICE would let us start: it must wait in the queue.
        Thread.sleep(100);
        session.start();

        SrtpKeys server = listener.keys.get(20, TimeUnit.SECONDS);
        clientDone.get(20, TimeUnit.SECONDS);

        SrtpKeys browser = client.keys();
        assertThat(server.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(browser.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(server.sendKey()).isEqualTo(browser.receiveKey());
        assertThat(server.sendSalt()).isEqualTo(browser.receiveSalt());
        assertThat(server.receiveKey()).isEqualTo(browser.sendKey());
        assertThat(server.receiveSalt()).isEqualTo(browser.sendSalt());
        assertThat(server.sendKey()).isNotEqualTo(server.receiveKey());
        assertThat(session.cipherSuite()).isEqualTo(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
        assertThat(session.handshakeNanos()).isPositive();
    }

    @Test
    void fallsBackToAesCmWhenTheClientOffersOnlyThat() throws Exception {
        connect(CLIENT_CERTIFICATE.fingerprint());
        DtlsSrtpClient client = client(SERVER_CERTIFICATE.fingerprint(),
                SrtpProfile.AES_CM_128_HMAC_SHA1_80.dtlsId());
        CompletableFuture<DTLSTransport> clientDone = startClient(client);
        session.start();

        SrtpKeys server = listener.keys.get(20, TimeUnit.SECONDS);
        clientDone.get(20, TimeUnit.SECONDS);

        assertThat(server.profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(server.sendKey()).isEqualTo(client.keys().receiveKey());
    }

    @Test
    void failsWhenTheClientCertificateDoesNotMatchTheSdpFingerprint() {
        connect(DtlsCertificate.generate(Clock.systemUTC()).fingerprint());
        CompletableFuture<DTLSTransport> clientDone = startClient(client(SERVER_CERTIFICATE.fingerprint(),
                SrtpProfile.AEAD_AES_128_GCM.dtlsId()));
        session.start();

        assertThatThrownBy(() -> listener.keys.get(20, TimeUnit.SECONDS))
                .rootCause().hasMessageContaining("fingerprint does not match the remote SDP");
        assertThatThrownBy(() -> clientDone.get(20, TimeUnit.SECONDS)).hasMessageContaining("bad_certificate");
    }

    @Test
    void failsWhenNoSrtpProfileIsShared() {
        connect(CLIENT_CERTIFICATE.fingerprint());
        // SRTP_AEAD_AES_256_GCM (8) only: Chromium offers it, we do not support it.
        CompletableFuture<DTLSTransport> clientDone = startClient(client(SERVER_CERTIFICATE.fingerprint(), 8));
        session.start();

        assertThatThrownBy(() -> listener.keys.get(20, TimeUnit.SECONDS))
                .rootCause().hasMessageContaining("no common SRTP profile");
        assertThatThrownBy(() -> clientDone.get(20, TimeUnit.SECONDS)).hasMessageContaining("handshake_failure");
    }

    @Test
    void reportsThePeersCloseNotify() throws Exception {
        connect(CLIENT_CERTIFICATE.fingerprint());
        CompletableFuture<DTLSTransport> clientDone = startClient(client(SERVER_CERTIFICATE.fingerprint(),
                SrtpProfile.AEAD_AES_128_GCM.dtlsId()));
        session.start();
        listener.keys.get(20, TimeUnit.SECONDS);

        clientDone.get(20, TimeUnit.SECONDS).close();

        listener.closed.get(20, TimeUnit.SECONDS);
    }

    @Test
    void fingerprintsAreUpperCaseColonSeparatedSha256() {
        Fingerprint fingerprint = SERVER_CERTIFICATE.fingerprint();

        assertThat(fingerprint.algorithm()).isEqualTo("sha-256");
        assertThat(fingerprint.value()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(Fingerprint.parse(fingerprint.toSdpValue().toLowerCase())).isEqualTo(fingerprint);
        assertThat(fingerprint.matches(SERVER_CERTIFICATE.der())).isTrue();
        assertThat(fingerprint.matches(CLIENT_CERTIFICATE.der())).isFalse();
    }
}
