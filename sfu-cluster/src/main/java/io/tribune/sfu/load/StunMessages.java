package io.tribune.sfu.load;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The few STUN messages (RFC 8489) a controlling ICE client needs (RFC 8445): Binding Requests with
 * USE-CANDIDATE (aggressive nomination) and the success responses that answer the other side's checks and
 * consent requests (RFC 7675). Stateless; thread-safe.
 */
public final class StunMessages {

    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int PRIORITY = 0x0024;
    private static final int USE_CANDIDATE = 0x0025;
    private static final int FINGERPRINT = 0x8028;
    private static final int ICE_CONTROLLING = 0x802A;
    /** RFC 8445 §5.1.2.1 host candidate priority, component 1. */
    static final long HOST_PRIORITY = (126L << 24) | (65535L << 8) | 255;

    private StunMessages() {
    }

    /** The message type of a datagram that looks like STUN (first two bits zero, magic cookie), else -1. */
    static int type(byte[] buf, int len) {
        if (len < 20 || (buf[0] & 0xc0) != 0 || ByteBuffer.wrap(buf, 4, 4).getInt() != MAGIC_COOKIE) {
            return -1;
        }
        return ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
    }

    /** A controlling Binding Request nominating the pair; {@code username} is "remote:local". */
    static byte[] bindingRequest(String username, String remotePassword, long tieBreaker) {
        ByteBuffer b = ByteBuffer.allocate(256);
        byte[] transactionId = new byte[12];
        ThreadLocalRandom.current().nextBytes(transactionId);
        b.putShort((short) BINDING_REQUEST).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
        attribute(b, USERNAME, username.getBytes(StandardCharsets.UTF_8));
        attribute(b, PRIORITY, ByteBuffer.allocate(4).putInt((int) HOST_PRIORITY).array());
        attribute(b, ICE_CONTROLLING, ByteBuffer.allocate(8).putLong(tieBreaker).array());
        attribute(b, USE_CANDIDATE, new byte[0]);
        return sign(b, remotePassword);
    }

    /** The success response to a request, with XOR-MAPPED-ADDRESS, signed with our password (RFC 8445 §7.3). */
    static byte[] bindingSuccess(byte[] request, InetSocketAddress from, String localPassword) {
        ByteBuffer b = ByteBuffer.allocate(256);
        b.putShort((short) BINDING_SUCCESS).putShort((short) 0).putInt(MAGIC_COOKIE).put(request, 8, 12);
        byte[] ip = from.getAddress().getAddress();
        if (ip.length == 4) {
            ByteBuffer mapped = ByteBuffer.allocate(8).put((byte) 0).put((byte) 1)
                    .putShort((short) (from.getPort() ^ (MAGIC_COOKIE >>> 16)))
                    .putInt(ByteBuffer.wrap(ip).getInt() ^ MAGIC_COOKIE);
            attribute(b, XOR_MAPPED_ADDRESS, mapped.array());
        }
        return sign(b, localPassword);
    }

    /** Appends a STUN attribute (RFC 8489 §14), padded to 4 bytes. */
    public static void attribute(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) type).putShort((short) value.length).put(value);
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
    }

    /** Appends MESSAGE-INTEGRITY (RFC 8489 §14.5) and FINGERPRINT (§14.7), fixing the length each time. */
    public static byte[] sign(ByteBuffer b, String key) {
        try {
            b.putShort(2, (short) (b.position() - 20 + 24));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(b.array(), 0, b.position());
            attribute(b, MESSAGE_INTEGRITY, mac.doFinal());
            b.putShort(2, (short) (b.position() - 20 + 8));
            CRC32 crc = new CRC32();
            crc.update(b.array(), 0, b.position());
            attribute(b, FINGERPRINT, ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ 0x5354554e).array());
            byte[] out = new byte[b.position()];
            System.arraycopy(b.array(), 0, out, 0, out.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}
