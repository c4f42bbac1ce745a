package io.tribune.sfu.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A certificate fingerprint as SDP carries it (RFC 8122 §5): {@code a=fingerprint:sha-256 AB:CD:...}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param algorithm the hash function's textual name, lower case ("sha-256")
 * @param value the hash, upper-case hex pairs separated by colons
 */
public record Fingerprint(String algorithm, String value) {

    /** RFC 8122 §5 hash names and their JCA names; MD5 and MD2 are deliberately absent. */
    private static final Map<String, String> JCA_NAMES = Map.of(
            "sha-1", "SHA-1", "sha-224", "SHA-224", "sha-256", "SHA-256", "sha-384", "SHA-384", "sha-512", "SHA-512");

    public Fingerprint {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
        if (!JCA_NAMES.containsKey(algorithm)) {
            throw new IllegalArgumentException("unsupported fingerprint hash: " + algorithm);
        }
        if (!value.matches("[0-9A-F]{2}(:[0-9A-F]{2})*")) {
            throw new IllegalArgumentException("malformed fingerprint: " + value);
        }
    }

    /** The SHA-256 fingerprint of a DER-encoded certificate, the hash browsers use. */
    public static Fingerprint sha256(byte[] derCertificate) {
        return of("sha-256", derCertificate);
    }

    /** The fingerprint of a DER-encoded certificate with the named hash. */
    public static Fingerprint of(String algorithm, byte[] derCertificate) {
        String jca = JCA_NAMES.get(algorithm.toLowerCase(Locale.ROOT));
        if (jca == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash: " + algorithm);
        }
        return new Fingerprint(algorithm, HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest(jca,
                derCertificate)));
    }

    /**
     * Parses the value of an SDP fingerprint attribute, e.g. {@code "sha-256 AB:CD:..."}.
     *
     * @throws IllegalArgumentException when it is malformed or uses an unsupported hash
     */
    public static Fingerprint parse(String attributeValue) {
        String[] parts = attributeValue.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("malformed fingerprint attribute: " + attributeValue);
        }
        return new Fingerprint(parts[0], parts[1]);
    }

    /** Whether this fingerprint is that of the certificate, compared in constant time. */
    public boolean matches(byte[] derCertificate) {
        byte[] expected = HexFormat.ofDelimiter(":").parseHex(value);
        return MessageDigest.isEqual(expected, digest(JCA_NAMES.get(algorithm), derCertificate));
    }

    private static byte[] digest(String jcaName, byte[] data) {
        try {
            return MessageDigest.getInstance(jcaName).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + jcaName, e);
        }
    }

    /** The attribute value for SDP: {@code "sha-256 AB:CD:..."}. */
    public String toSdpValue() {
        return algorithm + " " + value;
    }
}
