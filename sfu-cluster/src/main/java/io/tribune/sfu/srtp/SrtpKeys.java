package io.tribune.sfu.srtp;

import java.util.Arrays;

/**
 * The master keys and salts of one DTLS-SRTP association, already assigned to directions.
 *
 * <p>Immutable; the arrays are copied in and out.
 *
 * @param profile the negotiated protection profile
 * @param sendKey the master key we encrypt with
 * @param sendSalt the master salt we encrypt with
 * @param receiveKey the master key the peer encrypts with
 * @param receiveSalt the master salt the peer encrypts with
 */
public record SrtpKeys(SrtpProfile profile, byte[] sendKey, byte[] sendSalt, byte[] receiveKey, byte[] receiveSalt) {

    public SrtpKeys {
        if (sendKey.length != profile.keyLength() || receiveKey.length != profile.keyLength()
                || sendSalt.length != profile.saltLength() || receiveSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException("key or salt length does not match " + profile);
        }
        sendKey = sendKey.clone();
        sendSalt = sendSalt.clone();
        receiveKey = receiveKey.clone();
        receiveSalt = receiveSalt.clone();
    }

    /**
     * Splits exported DTLS keying material (RFC 5764 §4.2): client key, server key, client salt, server salt.
     *
     * @param material the output of the "EXTRACTOR-dtls_srtp" exporter, {@link SrtpProfile#keyingMaterialLength()}
     *     bytes
     * @param weAreDtlsServer whether we were the DTLS server (an SFU answering with a=setup:passive is)
     */
    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material, boolean weAreDtlsServer) {
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException(material.length + " bytes of keying material for " + profile);
        }
        int key = profile.keyLength();
        int salt = profile.saltLength();
        byte[] clientKey = Arrays.copyOfRange(material, 0, key);
        byte[] serverKey = Arrays.copyOfRange(material, key, 2 * key);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * key, 2 * key + salt);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * key + salt, 2 * key + 2 * salt);
        return weAreDtlsServer
                ? new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt)
                : new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt);
    }

    @Override
    public byte[] sendKey() {
        return sendKey.clone();
    }

    @Override
    public byte[] sendSalt() {
        return sendSalt.clone();
    }

    @Override
    public byte[] receiveKey() {
        return receiveKey.clone();
    }

    @Override
    public byte[] receiveSalt() {
        return receiveSalt.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeys other && other.profile == profile && Arrays.equals(other.sendKey, sendKey)
                && Arrays.equals(other.sendSalt, sendSalt) && Arrays.equals(other.receiveKey, receiveKey)
                && Arrays.equals(other.receiveSalt, receiveSalt);
    }

    @Override
    public int hashCode() {
        return profile.hashCode() * 31 + Arrays.hashCode(sendKey);
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]";
    }
}
