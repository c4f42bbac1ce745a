package io.tribune.sfu.srtp;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * Process-wide setup of jitsi-srtp's AES provider.
 *
 * <p>Left alone, jitsi-srtp benchmarks every AES provider on the first context it creates for each cipher
 * transformation: 1–3 s on our machines, which, on ice4j's receive thread, overflowed the socket buffer and lost
 * video (shared/probes/webrtc.md, pitfall 2). {@link #initialize()} pins the OpenSSL provider (about 1 µs per
 * packet with GCM; pure Bouncy Castle costs 11–16 µs) and creates one throwaway context per profile so that
 * every transformation is chosen before the first packet arrives. Call it at node startup.
 *
 * <p>Thread-safe.
 */
public final class SrtpCrypto {

    static final Logger LOGGER = new LoggerImpl(SrtpCrypto.class.getName());
    private static String provider;

    private SrtpCrypto() {
    }

    /**
     * Pins and warms the AES provider. Idempotent; the first call takes tens to hundreds of milliseconds.
     *
     * @return the provider in use: "OpenSSL", or "SunJCE" where jitsi-srtp's native library cannot load
     *     (it needs Debian's libssl3)
     */
    public static synchronized String initialize() {
        if (provider != null) {
            return provider;
        }
        String chosen = JitsiOpenSslProvider.isLoaded() ? "OpenSSL" : "SunJCE";
        Aes.setFactoryClassName(chosen);
        SecureRandom random = new SecureRandom();
        for (SrtpProfile profile : SrtpProfile.values()) {
            byte[] key = new byte[profile.keyLength()];
            byte[] salt = new byte[profile.saltLength()];
            random.nextBytes(key);
            random.nextBytes(salt);
            warm(profile, key, salt);
        }
        provider = chosen;
        return provider;
    }

    private static void warm(SrtpProfile profile, byte[] key, byte[] salt) {
        SrtpContextFactory sender = new SrtpContextFactory(true, key, salt, profile.policy(), profile.policy(),
                LOGGER);
        SrtpContextFactory receiver = new SrtpContextFactory(false, key, salt, profile.policy(), profile.policy(),
                LOGGER);
        try {
            SrtpCryptoContext send = sender.deriveContext(1, 0);
            SrtcpCryptoContext sendControl = sender.deriveControlContext(1);
            PacketBuffer rtp = PacketBuffer.copyOf(new byte[] {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 42},
                    0, 13);
            PacketBuffer rtcp = PacketBuffer.copyOf(new byte[] {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1}, 0, 8);
            send.transformPacket(rtp);
            sendControl.transformPacket(rtcp);
            receiver.deriveContext(1, 0).reverseTransformPacket(rtp, false);
            receiver.deriveControlContext(1).reverseTransformPacket(rtcp);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SRTP self-test failed for " + profile, e);
        } finally {
            sender.close();
            receiver.close();
        }
    }
}
