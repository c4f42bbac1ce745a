package io.tribune.sfu.srtp;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;

/**
 * Encrypts and authenticates the RTP and RTCP packets we send to one peer. Contexts are created per SSRC; the
 * SSRCs are our own, so they need no cap.
 *
 * <p>Thread-safe: the send path may be entered from the pipeline thread and from timers (RTCP), so both methods
 * are synchronized; the lock is uncontended in the common case.
 */
public final class SrtpSender implements AutoCloseable {

    private final SrtpContextFactory factory;
    private final Map<Integer, SrtpCryptoContext> rtpContexts = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> rtcpContexts = new HashMap<>();
    private final SrtpCounters counters = new SrtpCounters();

    /** @param keys the association's keys; the send key and salt are used */
    public SrtpSender(SrtpKeys keys) {
        SrtpProfile profile = keys.profile();
        this.factory = new SrtpContextFactory(true, keys.sendKey(), keys.sendSalt(), profile.policy(),
                profile.policy(), SrtpCrypto.LOGGER);
    }

    /** Protects an RTP packet in place, appending the tag; the buffer needs {@link PacketBuffer#TAIL_ROOM}. */
    public synchronized SrtpStatus protectRtp(PacketBuffer packet) {
        SrtpStatus status;
        if (packet.getLength() < 12) {
            status = SrtpStatus.MALFORMED;
        } else {
            try {
                int ssrc = SrtpReceiver.ssrcAt(packet, 8);
                SrtpCryptoContext context = rtpContexts.get(ssrc);
                if (context == null) {
                    context = factory.deriveContext(ssrc, 0);
                    rtpContexts.put(ssrc, context);
                }
                status = SrtpStatus.of(context.transformPacket(packet));
            } catch (GeneralSecurityException e) {
                status = SrtpStatus.CRYPTO_ERROR;
            }
        }
        counters.count(status);
        return status;
    }

    /** Protects an RTCP compound packet in place, appending the SRTCP index and tag. */
    public synchronized SrtpStatus protectRtcp(PacketBuffer packet) {
        SrtpStatus status;
        if (packet.getLength() < 8) {
            status = SrtpStatus.MALFORMED;
        } else {
            try {
                int ssrc = SrtpReceiver.ssrcAt(packet, 4);
                SrtcpCryptoContext context = rtcpContexts.get(ssrc);
                if (context == null) {
                    context = factory.deriveControlContext(ssrc);
                    rtcpContexts.put(ssrc, context);
                }
                status = SrtpStatus.of(context.transformPacket(packet));
            } catch (GeneralSecurityException e) {
                status = SrtpStatus.CRYPTO_ERROR;
            }
        }
        counters.count(status);
        return status;
    }

    /** Outcomes of both methods together. */
    public SrtpCounters counters() {
        return counters;
    }

    @Override
    public synchronized void close() {
        factory.close();
    }
}
