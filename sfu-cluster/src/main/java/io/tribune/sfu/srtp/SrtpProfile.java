package io.tribune.sfu.srtp;

import java.util.Optional;
import org.jitsi.srtp.SrtpPolicy;

/**
 * The SRTP protection profiles we negotiate in DTLS-SRTP (RFC 5764 §4.1.2), in order of preference: AES-GCM costs
 * about half of AES-CM + HMAC-SHA1 per packet (shared/probes/webrtc.md) and authenticates with a 16-byte tag.
 */
public enum SrtpProfile {
    /** RFC 7714 §14.2: SRTP_AEAD_AES_128_GCM = {0x00, 0x07}; 16-byte key, 12-byte salt, 16-byte tag. */
    AEAD_AES_128_GCM(0x0007, 16, 12) {
        @Override
        public SrtpPolicy policy() {
            return new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        }
    },
    /** RFC 5764 §4.1.2: SRTP_AES128_CM_HMAC_SHA1_80 = {0x00, 0x01}; 16-byte key, 14-byte salt, 10-byte tag. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14) {
        @Override
        public SrtpPolicy policy() {
            return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        }
    };

    private final int dtlsId;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int dtlsId, int keyLength, int saltLength) {
        this.dtlsId = dtlsId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The SRTPProtectionProfile value in the DTLS use_srtp extension. */
    public int dtlsId() {
        return dtlsId;
    }

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    /** How many bytes of DTLS keying material the profile needs: two keys and two salts (RFC 5764 §4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /** A fresh jitsi-srtp policy, the same for SRTP and SRTCP; policies are mutable, so never shared. */
    public abstract SrtpPolicy policy();

    /** The profile with this use_srtp id, if we support it. */
    public static Optional<SrtpProfile> fromDtlsId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.dtlsId == id) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }
}
