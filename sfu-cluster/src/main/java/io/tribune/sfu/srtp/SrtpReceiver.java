package io.tribune.sfu.srtp;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;

/**
 * Decrypts and authenticates the SRTP and SRTCP packets one peer sends us, with replay protection
 * (RFC 3711 §3.3.2: a 64-packet window per SSRC for SRTP, per sender SSRC for SRTCP).
 *
 * <p>Crypto contexts are created per SSRC on first sight, before the packet is authenticated, so their number is
 * capped: a peer spraying random SSRCs gets {@link SrtpStatus#TOO_MANY_SOURCES} instead of our memory.
 *
 * <p>Not thread-safe: owned by the endpoint's receive pipeline thread. {@link #counters()} may be read anywhere.
 */
public final class SrtpReceiver implements AutoCloseable {

    /** RTP's fixed header; RTCP's header plus sender SSRC. */
    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    /** The SRTCP trailer: E flag and 31-bit index (RFC 3711 §3.4). */
    private static final int SRTCP_INDEX = 4;

    private final SrtpContextFactory factory;
    private final int tagLength;
    private final int maxSources;
    private final Map<Integer, SrtpCryptoContext> rtpContexts = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> rtcpContexts = new HashMap<>();
    private final SrtpCounters rtpCounters = new SrtpCounters();
    private final SrtpCounters rtcpCounters = new SrtpCounters();

    /**
     * @param keys the association's keys; the receive key and salt are used
     * @param maxSources how many SSRCs may get contexts, for RTP and RTCP each
     */
    public SrtpReceiver(SrtpKeys keys, int maxSources) {
        SrtpProfile profile = keys.profile();
        this.factory = new SrtpContextFactory(false, keys.receiveKey(), keys.receiveSalt(), profile.policy(),
                profile.policy(), SrtpCrypto.LOGGER);
        this.tagLength = profile.policy().getAuthTagLength();
        this.maxSources = maxSources;
    }

    /** Unprotects an SRTP packet in place; on {@link SrtpStatus#OK} the buffer holds the plain RTP packet. */
    public SrtpStatus unprotectRtp(PacketBuffer packet) {
        SrtpStatus status = doUnprotectRtp(packet);
        rtpCounters.count(status);
        return status;
    }

    private SrtpStatus doUnprotectRtp(PacketBuffer packet) {
        if (packet.getLength() < RTP_HEADER + tagLength) {
            return SrtpStatus.MALFORMED;
        }
        int ssrc = ssrcAt(packet, 8);
        SrtpCryptoContext context = rtpContexts.get(ssrc);
        try {
            if (context == null) {
                if (rtpContexts.size() >= maxSources) {
                    return SrtpStatus.TOO_MANY_SOURCES;
                }
                context = factory.deriveContext(ssrc, 0);
                rtpContexts.put(ssrc, context);
            }
            return SrtpStatus.of(context.reverseTransformPacket(packet, false));
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_ERROR;
        }
    }

    /** Unprotects an SRTCP compound packet in place, keyed by the first packet's sender SSRC (RFC 3711 §3.4). */
    public SrtpStatus unprotectRtcp(PacketBuffer packet) {
        SrtpStatus status = doUnprotectRtcp(packet);
        rtcpCounters.count(status);
        return status;
    }

    private SrtpStatus doUnprotectRtcp(PacketBuffer packet) {
        if (packet.getLength() < RTCP_HEADER + SRTCP_INDEX + tagLength) {
            return SrtpStatus.MALFORMED;
        }
        int ssrc = ssrcAt(packet, 4);
        SrtcpCryptoContext context = rtcpContexts.get(ssrc);
        try {
            if (context == null) {
                if (rtcpContexts.size() >= maxSources) {
                    return SrtpStatus.TOO_MANY_SOURCES;
                }
                context = factory.deriveControlContext(ssrc);
                rtcpContexts.put(ssrc, context);
            }
            return SrtpStatus.of(context.reverseTransformPacket(packet));
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_ERROR;
        }
    }

    static int ssrcAt(PacketBuffer packet, int at) {
        byte[] b = packet.getBuffer();
        int o = packet.getOffset() + at;
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    /** SRTP outcomes. */
    public SrtpCounters rtpCounters() {
        return rtpCounters;
    }

    /** SRTCP outcomes. */
    public SrtpCounters rtcpCounters() {
        return rtcpCounters;
    }

    @Override
    public void close() {
        factory.close();
    }
}
