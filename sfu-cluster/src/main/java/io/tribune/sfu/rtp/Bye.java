package io.tribune.sfu.rtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * An RTCP BYE (RFC 3550 §6.6): the sources are leaving.
 *
 * @param ssrcs the sources leaving, at most 31
 * @param reason the optional UTF-8 reason, at most 255 encoded bytes
 */
public record Bye(List<Integer> ssrcs, Optional<String> reason) implements RtcpPacket {

    public Bye {
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.size() > 31) {
            throw new IllegalArgumentException("at most 31 SSRCs, got " + ssrcs.size());
        }
        if (reason.isPresent() && reason.get().getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("reason longer than 255 bytes");
        }
    }

    @Override
    public int packetType() {
        return PT_BYE;
    }

    @Override
    public int encodedLength() {
        int reasonBytes = reason.map(r -> 1 + r.getBytes(StandardCharsets.UTF_8).length).orElse(0);
        return 4 + 4 * ssrcs.size() + (reasonBytes + 3) / 4 * 4;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        int length = encodedLength();
        RtcpPacket.writeHeader(buf, off, ssrcs.size(), PT_BYE, length);
        int pos = off + 4;
        for (int ssrc : ssrcs) {
            Bytes.putInt32(buf, pos, ssrc);
            pos += 4;
        }
        if (reason.isPresent()) {
            byte[] text = reason.get().getBytes(StandardCharsets.UTF_8);
            buf[pos] = (byte) text.length;
            System.arraycopy(text, 0, buf, pos + 1, text.length);
            // The rest up to the 32-bit boundary must be zero (RFC 3550 §6.6).
            for (int i = pos + 1 + text.length; i < off + length; i++) {
                buf[i] = 0;
            }
        }
        return length;
    }
}
