package io.tribune.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribune.sfu.rtp.Hex;
import java.nio.charset.StandardCharsets;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.SrtpCipherCtr;
import org.jitsi.srtp.crypto.SrtpCipherGcm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests for the SRTP stack we ship: jitsi-srtp with its OpenSSL provider pinned by
 * {@link SrtpCrypto#initialize()}.
 *
 * <p>jitsi-srtp always derives session keys from a master key (RFC 3711 §4.3) and exposes no way to set session
 * keys, so vectors given at the session-key level (RFC 3711 B.2, RFC 7714 §16–17) run against the cipher objects
 * it uses ({@code SrtpCipherCtr}, {@code SrtpCipherGcm}), and whole-packet vectors (libsrtp's
 * {@code srtp_driver.c}) run through our {@link SrtpSender} and {@link SrtpReceiver}. Those use RFC 3711 B.3's
 * master key and salt, so a matching ciphertext also proves the B.3 key derivation.
 */
class SrtpVectorsTest {

    @BeforeAll
    static void pinProvider() {
        assertThat(SrtpCrypto.initialize()).isEqualTo("OpenSSL");
    }

    @Nested
    class Rfc3711 {

        /** RFC 3711 Appendix B.2: the AES-CM keystream for session key 2B7E..3C and IV F0F1..FD0000. */
        @Test
        void aesCounterModeKeystreamMatchesAppendixB2() throws Exception {
            SrtpCipherCtr cipher = new SrtpCipherCtr(Aes.createCipher("AES/CTR/NoPadding"));
            cipher.init(Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C"), null);
            cipher.setIV(Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), Cipher.ENCRYPT_MODE);
            byte[] keystream = new byte[48];

            cipher.process(keystream, 0, keystream.length);

            assertThat(Hex.string(keystream)).isEqualToIgnoringCase("E03EAD0935C95E80E166B16DD92B4EB4"
                    + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
        }
    }

    @Nested
    class Rfc7714 {

        private static final byte[] KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
        /** §16: the 96-bit salt is the ASCII of "Quid pro quo". */
        private static final byte[] SALT = Hex.bytes("517569642070726f2071756f");

        /** §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt. */
        private static byte[] rtpIv(int ssrc, int roc, int seq) {
            byte[] iv = new byte[12];
            putInt(iv, 2, ssrc);
            putInt(iv, 6, roc);
            iv[10] = (byte) (seq >>> 8);
            iv[11] = (byte) seq;
            return xor(iv, SALT);
        }

        /** §9.1: IV = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt. */
        private static byte[] rtcpIv(int ssrc, int index) {
            byte[] iv = new byte[12];
            putInt(iv, 2, ssrc);
            putInt(iv, 8, index & 0x7fffffff);
            return xor(iv, SALT);
        }

        private static void putInt(byte[] b, int at, int v) {
            b[at] = (byte) (v >>> 24);
            b[at + 1] = (byte) (v >>> 16);
            b[at + 2] = (byte) (v >>> 8);
            b[at + 3] = (byte) v;
        }

        private static byte[] xor(byte[] a, byte[] b) {
            byte[] out = new byte[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = (byte) (a[i] ^ b[i]);
            }
            return out;
        }

        private static SrtpCipherGcm gcm(byte[] iv, int mode) throws Exception {
            SrtpCipherGcm cipher = new SrtpCipherGcm(Aes.createCipher("AES/GCM/NoPadding"));
            cipher.init(KEY, null);
            cipher.setIV(iv, mode);
            return cipher;
        }

        /** §16.1.1: "Gallia est omnis divisa in partes tres", SSRC 5501a0b2, SEQ f17b, ROC 0. */
        @Test
        void encryptsTheSection16RtpPacket() throws Exception {
            byte[] packet = Hex.bytes("8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976"
                    + "69736120 696e2070 61727465 73207472 6573");
            byte[] iv = rtpIv(0x5501a0b2, 0, 0xf17b);
            assertThat(Hex.string(iv)).isEqualTo("51753c6580c2726f20718414");
            byte[] out = new byte[packet.length + 16];
            System.arraycopy(packet, 0, out, 0, packet.length);

            SrtpCipherGcm cipher = gcm(iv, Cipher.ENCRYPT_MODE);
            cipher.processAAD(out, 0, 12);
            int written = cipher.process(out, 12, packet.length - 12);

            assertThat(written).isEqualTo(packet.length - 12 + 16);
            assertThat(Hex.string(out)).isEqualTo("8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd5"
                    + "0d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce");
        }

        /** §16.1.2 read backwards: the published packet decrypts, and one flipped bit fails the tag. */
        @Test
        void decryptsTheSection16RtpPacketAndRejectsATamperedOne() throws Exception {
            String wire = "8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd5"
                    + "0d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce";
            byte[] ok = Hex.bytes(wire);
            SrtpCipherGcm cipher = gcm(rtpIv(0x5501a0b2, 0, 0xf17b), Cipher.DECRYPT_MODE);
            cipher.processAAD(ok, 0, 12);
            int plain = cipher.process(ok, 12, ok.length - 12);
            assertThat(new String(ok, 12, plain, StandardCharsets.US_ASCII))
                    .isEqualTo("Gallia est omnis divisa in partes tres");

            byte[] tampered = Hex.bytes(wire);
            tampered[20] ^= 0x01;
            SrtpCipherGcm again = gcm(rtpIv(0x5501a0b2, 0, 0xf17b), Cipher.DECRYPT_MODE);
            again.processAAD(tampered, 0, 12);
            assertThatThrownBy(() -> again.process(tampered, 12, tampered.length - 12))
                    .isInstanceOf(AEADBadTagException.class);
        }

        /** §17.1: SRTCP with index 5d4, E flag set; the AAD is the 8-byte header plus the E||index word. */
        @Test
        void encryptsTheSection17RtcpPacket() throws Exception {
            byte[] packet = Hex.bytes("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
                    + "deadbeef deadbeef deadbeef deadbeef deadbeef");
            byte[] iv = rtcpIv(0x4d617273, 0x5d4);
            assertThat(Hex.string(iv)).isEqualTo("517524055203726f207170bb");
            byte[] out = new byte[packet.length + 16 + 4];
            System.arraycopy(packet, 0, out, 0, packet.length);
            byte[] indexWord = Hex.bytes("800005d4");

            SrtpCipherGcm cipher = gcm(iv, Cipher.ENCRYPT_MODE);
            cipher.processAAD(out, 0, 8);
            cipher.processAAD(indexWord, 0, 4);
            int written = cipher.process(out, 8, packet.length - 8);
            System.arraycopy(indexWord, 0, out, 8 + written, 4);

            assertThat(Hex.string(out)).isEqualTo("81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32d"
                    + "c676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4");
        }
    }

    /** libsrtp's srtp_driver.c reference packets, end to end through our sender and receiver. */
    @Nested
    class WholePackets {

        private static final String RTP_PLAIN = "800f1234decafbadcafebabe" + "ab".repeat(16);
        private static final String RTCP_PLAIN = "81c8000bcafebabe" + "ab".repeat(16);

        private static SrtpKeys keys(SrtpProfile profile, String key, String salt) {
            return new SrtpKeys(profile, Hex.bytes(key), Hex.bytes(salt), Hex.bytes(key), Hex.bytes(salt));
        }

        private void assertVectors(SrtpKeys keys, String srtp, String srtcp) {
            try (SrtpSender sender = new SrtpSender(keys); SrtpReceiver receiver = new SrtpReceiver(keys, 4)) {
                PacketBuffer rtp = PacketBuffer.copyOf(Hex.bytes(RTP_PLAIN), 0, RTP_PLAIN.length() / 2);
                assertThat(sender.protectRtp(rtp)).isEqualTo(SrtpStatus.OK);
                assertThat(Hex.string(rtp.toByteArray())).isEqualTo(srtp);

                // The reference SRTCP packet carries index 1 and our sender counts from 0: send twice.
                PacketBuffer first = PacketBuffer.copyOf(Hex.bytes(RTCP_PLAIN), 0, RTCP_PLAIN.length() / 2);
                assertThat(sender.protectRtcp(first)).isEqualTo(SrtpStatus.OK);
                PacketBuffer rtcp = PacketBuffer.copyOf(Hex.bytes(RTCP_PLAIN), 0, RTCP_PLAIN.length() / 2);
                assertThat(sender.protectRtcp(rtcp)).isEqualTo(SrtpStatus.OK);
                assertThat(Hex.string(rtcp.toByteArray())).isEqualTo(srtcp);

                assertThat(receiver.unprotectRtp(rtp)).isEqualTo(SrtpStatus.OK);
                assertThat(Hex.string(rtp.toByteArray())).isEqualTo(RTP_PLAIN);
                assertThat(receiver.unprotectRtcp(rtcp)).isEqualTo(SrtpStatus.OK);
                assertThat(Hex.string(rtcp.toByteArray())).isEqualTo(RTCP_PLAIN);
            }
        }

        @Test
        void aesCmHmacSha1MatchesTheReferencePackets() {
            assertVectors(keys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, "e1f97a0d3e018be0d64fa32c06de4139",
                    "0ec675ad498afeebb6960b3aabe6"),
                    "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb",
                    "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");
        }

        @Test
        void aesGcmMatchesTheReferencePackets() {
            assertVectors(keys(SrtpProfile.AEAD_AES_128_GCM, "000102030405060708090a0b0c0d0e0f",
                    "a0a1a2a3a4a5a6a7a8a9aaab"),
                    "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392",
                    "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001");
        }
    }
}
