package io.tribune.sfu.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A node's DTLS identity: an ECDSA P-256 key and a self-signed certificate, generated at startup. WebRTC does not
 * use PKI for DTLS; peers authenticate each other by the certificate fingerprint exchanged in SDP
 * (RFC 8827 §6.5), so the certificate only needs to be fresh and unique.
 *
 * <p>Immutable and thread-safe; one instance serves every endpoint of the node.
 */
public final class DtlsCertificate {

    /** Valid from a day ago (clock skew) to 30 days ahead; nodes regenerate on restart. */
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration LIFETIME = Duration.ofDays(30);

    private final byte[] der;
    private final byte[] pkcs8PrivateKey;
    private final Fingerprint fingerprint;

    private DtlsCertificate(byte[] der, byte[] pkcs8PrivateKey) {
        this.der = der;
        this.pkcs8PrivateKey = pkcs8PrivateKey;
        this.fingerprint = Fingerprint.sha256(der);
    }

    /** Generates a new key pair and certificate; takes a few milliseconds. */
    public static DtlsCertificate generate(Clock clock) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            Instant now = clock.instant();
            X500Name name = new X500Name("CN=tribune-sfu");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(63, random), Date.from(now.minus(BACKDATE)), Date.from(now.plus(LIFETIME)), name,
                    keys.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(der, keys.getPrivate().getEncoded());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate the DTLS certificate", e);
        }
    }

    /** The certificate, DER-encoded. */
    public byte[] der() {
        return der.clone();
    }

    /** The SHA-256 fingerprint that goes into our SDP's {@code a=fingerprint}. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    /** The private key in Bouncy Castle's lightweight form, for a TLS signer. Never log or send it. */
    public AsymmetricKeyParameter privateKey() throws IOException {
        return PrivateKeyFactory.createKey(pkcs8PrivateKey);
    }
}
