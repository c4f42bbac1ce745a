package io.tribune.sfu.dtls;

import io.tribune.sfu.srtp.SrtpKeys;
import io.tribune.sfu.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The TLS side of a DTLS-SRTP server (RFC 5764) for one endpoint: DTLS 1.2 only, ECDHE-ECDSA suites, a client
 * certificate required and checked against the fingerprint from the remote SDP (RFC 8122 §5, RFC 8827 §6.5), the
 * use_srtp extension negotiated from our profile preference, and the SRTP keys exported on completion.
 *
 * <p>Not thread-safe: Bouncy Castle calls it from the one handshake thread of its {@link DtlsSession}.
 */
final class DtlsSrtpServer extends DefaultTlsServer {

    /** Bouncy Castle gives up the handshake after this long; browsers retransmit within it. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final Fingerprint remoteFingerprint;
    private SrtpProfile chosenProfile;
    private SrtpKeys keys;
    private int negotiatedCipherSuite;

    DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, Fingerprint remoteFingerprint) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        // Chromium offers DTLS 1.3 and 1.2; SRTP keying through BC is proven on 1.2.
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        // Our order puts AES-GCM first: hardware-accelerated, and what Chromium negotiates with us anyway.
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return HANDSHAKE_TIMEOUT_MILLIS;
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        // RFC 7627: binds the exported SRTP keys to this handshake's transcript. Chromium always offers it.
        return true;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        TlsCertificate tlsCertificate = crypto.createCertificate(certificate.der());
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, certificate.privateKey(),
                new org.bouncycastle.tls.Certificate(new TlsCertificate[] {tlsCertificate}),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        // The peer must present the certificate whose fingerprint its SDP announced.
        Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        algorithms.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(org.bouncycastle.tls.Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.certificate_required);
        }
        if (!remoteFingerprint.matches(clientCertificate.getCertificateAt(0).getEncoded())) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "fingerprint does not match the remote SDP");
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no use_srtp extension");
        }
        chosenProfile = choose(offered.getProtectionProfiles())
                .orElseThrow(() -> new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP profile"));
    }

    /** Our preference order (GCM first) among what the client offers, RFC 5764 §4.1.1. */
    static Optional<SrtpProfile> choose(int[] offered) {
        for (SrtpProfile profile : SrtpProfile.values()) {
            for (int id : offered) {
                if (id == profile.dtlsId()) {
                    return Optional.of(profile);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {chosenProfile.dtlsId()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        // Read here: after accept() returns, the security parameters are cleared (probe pitfall 7).
        negotiatedCipherSuite = context.getSecurityParameters().getCipherSuite();
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                chosenProfile.keyingMaterialLength());
        keys = SrtpKeys.fromKeyingMaterial(chosenProfile, material, true);
    }

    /** The SRTP keys, available once the handshake completed. */
    SrtpKeys keys() {
        return keys;
    }

    int negotiatedCipherSuite() {
        return negotiatedCipherSuite;
    }
}
