package io.tribune.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.rtp.RtpPacketBuilder;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpRoundTripTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void pinProvider() {
        SrtpCrypto.initialize();
    }

    private static byte[] material(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        RANDOM.nextBytes(material);
        return material;
    }

    private static PacketBuffer rtp(int ssrc, int seq) {
        byte[] packet = new RtpPacketBuilder().payloadType(96).ssrc(ssrc).sequenceNumber(seq).timestamp(3000L * seq)
                .payload(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).build();
        return PacketBuffer.copyOf(packet, 0, packet.length);
    }

    private static PacketBuffer rtcp(int ssrc) {
        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, (byte) (ssrc >>> 24), (byte) (ssrc >>> 16), (byte) (ssrc >>> 8),
            (byte) ssrc};
        return PacketBuffer.copyOf(rr, 0, rr.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void serverSendsWhatTheClientDecrypts(SrtpProfile profile) {
        byte[] material = material(profile);
        SrtpKeys server = SrtpKeys.fromKeyingMaterial(profile, material, true);
        SrtpKeys client = SrtpKeys.fromKeyingMaterial(profile, material, false);
        try (SrtpSender sender = new SrtpSender(server); SrtpReceiver receiver = new SrtpReceiver(client, 8)) {
            PacketBuffer packet = rtp(0x1234, 7);
            byte[] plain = packet.toByteArray();

            assertThat(sender.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            int tag = profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10;
            assertThat(packet.getLength()).isEqualTo(plain.length + tag);
            assertThat(packet.toByteArray()).isNotEqualTo(plain);
            assertThat(receiver.unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(packet.toByteArray()).isEqualTo(plain);

            PacketBuffer control = rtcp(0x1234);
            byte[] plainControl = control.toByteArray();
            assertThat(sender.protectRtcp(control)).isEqualTo(SrtpStatus.OK);
            assertThat(receiver.unprotectRtcp(control)).isEqualTo(SrtpStatus.OK);
            assertThat(control.toByteArray()).isEqualTo(plainControl);
            assertThat(receiver.rtpCounters().get(SrtpStatus.OK)).isEqualTo(1);
            assertThat(receiver.rtcpCounters().get(SrtpStatus.OK)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void keysOfTheWrongDirectionFailAuthentication(SrtpProfile profile) {
        SrtpKeys server = SrtpKeys.fromKeyingMaterial(profile, material(profile), true);
        try (SrtpSender sender = new SrtpSender(server); SrtpReceiver receiver = new SrtpReceiver(server, 8)) {
            PacketBuffer packet = rtp(1, 1);
            sender.protectRtp(packet);

            assertThat(receiver.unprotectRtp(packet)).isEqualTo(SrtpStatus.AUTHENTICATION_FAILED);
            assertThat(receiver.rtpCounters().get(SrtpStatus.AUTHENTICATION_FAILED)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsAndCountsReplayedPackets(SrtpProfile profile) {
        byte[] material = material(profile);
        try (SrtpSender sender = new SrtpSender(SrtpKeys.fromKeyingMaterial(profile, material, true));
             SrtpReceiver receiver = new SrtpReceiver(SrtpKeys.fromKeyingMaterial(profile, material, false), 8)) {
            PacketBuffer packet = rtp(5, 100);
            sender.protectRtp(packet);
            byte[] wire = packet.toByteArray();
            PacketBuffer control = rtcp(5);
            sender.protectRtcp(control);
            byte[] controlWire = control.toByteArray();

            assertThat(receiver.unprotectRtp(PacketBuffer.copyOf(wire, 0, wire.length))).isEqualTo(SrtpStatus.OK);
            assertThat(receiver.unprotectRtp(PacketBuffer.copyOf(wire, 0, wire.length)))
                    .isEqualTo(SrtpStatus.REPLAYED);
            assertThat(receiver.unprotectRtcp(PacketBuffer.copyOf(controlWire, 0, controlWire.length)))
                    .isEqualTo(SrtpStatus.OK);
            assertThat(receiver.unprotectRtcp(PacketBuffer.copyOf(controlWire, 0, controlWire.length)))
                    .isEqualTo(SrtpStatus.REPLAYED);
            assertThat(receiver.rtpCounters().get(SrtpStatus.REPLAYED)).isEqualTo(1);
            assertThat(receiver.rtcpCounters().get(SrtpStatus.REPLAYED)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsAndCountsTamperedPackets(SrtpProfile profile) {
        byte[] material = material(profile);
        try (SrtpSender sender = new SrtpSender(SrtpKeys.fromKeyingMaterial(profile, material, true));
             SrtpReceiver receiver = new SrtpReceiver(SrtpKeys.fromKeyingMaterial(profile, material, false), 8)) {
            PacketBuffer packet = rtp(5, 100);
            sender.protectRtp(packet);
            packet.getBuffer()[14] ^= 0x40;
            PacketBuffer control = rtcp(5);
            sender.protectRtcp(control);
            control.getBuffer()[2] ^= 0x01;

            assertThat(receiver.unprotectRtp(packet)).isEqualTo(SrtpStatus.AUTHENTICATION_FAILED);
            assertThat(receiver.unprotectRtcp(control)).isNotEqualTo(SrtpStatus.OK);
            assertThat(receiver.rtpCounters().failures() + receiver.rtcpCounters().failures()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsPacketsTooShortForATag(SrtpProfile profile) {
        try (SrtpReceiver receiver = new SrtpReceiver(SrtpKeys.fromKeyingMaterial(profile, material(profile), false),
                8)) {
            assertThat(receiver.unprotectRtp(PacketBuffer.copyOf(new byte[14], 0, 14))).isEqualTo(SrtpStatus.MALFORMED);
            assertThat(receiver.unprotectRtcp(PacketBuffer.copyOf(new byte[12], 0, 12)))
                    .isEqualTo(SrtpStatus.MALFORMED);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void capsCryptoContextsPerEndpoint(SrtpProfile profile) {
        byte[] material = material(profile);
        try (SrtpSender sender = new SrtpSender(SrtpKeys.fromKeyingMaterial(profile, material, true));
             SrtpReceiver receiver = new SrtpReceiver(SrtpKeys.fromKeyingMaterial(profile, material, false), 2)) {
            for (int ssrc = 1; ssrc <= 3; ssrc++) {
                PacketBuffer packet = rtp(ssrc, 1);
                sender.protectRtp(packet);
                assertThat(receiver.unprotectRtp(packet))
                        .isEqualTo(ssrc <= 2 ? SrtpStatus.OK : SrtpStatus.TOO_MANY_SOURCES);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void splitsKeyingMaterialClientKeyServerKeyClientSaltServerSalt(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        int k = profile.keyLength();
        int s = profile.saltLength();

        SrtpKeys server = SrtpKeys.fromKeyingMaterial(profile, material, true);

        assertThat(server.receiveKey()[0]).isEqualTo((byte) 0);
        assertThat(server.sendKey()[0]).isEqualTo((byte) k);
        assertThat(server.receiveSalt()[0]).isEqualTo((byte) (2 * k));
        assertThat(server.sendSalt()[0]).isEqualTo((byte) (2 * k + s));
        assertThat(SrtpKeys.fromKeyingMaterial(profile, material, false).sendKey()).isEqualTo(server.receiveKey());
    }
}
