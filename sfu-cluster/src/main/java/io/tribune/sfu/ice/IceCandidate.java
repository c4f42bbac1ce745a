package io.tribune.sfu.ice;

import java.util.Locale;
import java.util.Optional;

/**
 * An ICE candidate as SDP carries it (RFC 8839 §5.1):
 * {@code candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
 * [raddr <address> rport <port>] *(<name> <value>)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param relatedAddress for reflexive and relayed candidates, the base's address; null otherwise
 * @param relatedPort the base's port; 0 when {@code relatedAddress} is null
 */
public record IceCandidate(String foundation, int component, String transport, long priority, String address,
                           int port, String type, String relatedAddress, int relatedPort) {

    /** RFC 8445 §5.1.2.2 recommended type preferences. */
    public static final int HOST_PREFERENCE = 126;
    public static final int SERVER_REFLEXIVE_PREFERENCE = 100;

    /** RFC 8445 §5.1.2.1: priority = 2^24 * type preference + 2^8 * local preference + (256 - component). */
    public static long priority(int typePreference, int localPreference, int component) {
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
    }

    /** The attribute value without the {@code a=} prefix: {@code candidate:1 1 udp ... typ host}. */
    public String toSdpValue() {
        StringBuilder sb = new StringBuilder("candidate:").append(foundation).append(' ').append(component)
                .append(' ').append(transport.toLowerCase(Locale.ROOT)).append(' ').append(priority).append(' ')
                .append(address).append(' ').append(port).append(" typ ").append(type);
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress).append(" rport ").append(relatedPort);
        }
        return sb.toString();
    }

    /**
     * Parses an SDP candidate attribute value ({@code candidate:...}, with or without the prefix).
     *
     * @return the candidate, or empty when the line is malformed; extension attributes are ignored
     */
    public static Optional<IceCandidate> parse(String value) {
        String text = value.startsWith("candidate:") ? value.substring("candidate:".length()) : value;
        String[] f = text.trim().split("\\s+");
        if (f.length < 8 || !f[6].equals("typ")) {
            return Optional.empty();
        }
        try {
            int component = Integer.parseInt(f[1]);
            long priority = Long.parseLong(f[3]);
            int port = Integer.parseInt(f[5]);
            if (component < 1 || component > 256 || priority < 0 || priority > 0xffffffffL || port < 0
                    || port > 65535) {
                return Optional.empty();
            }
            String relatedAddress = null;
            int relatedPort = 0;
            for (int i = 8; i + 1 < f.length; i += 2) {
                if (f[i].equals("raddr")) {
                    relatedAddress = f[i + 1];
                } else if (f[i].equals("rport")) {
                    relatedPort = Integer.parseInt(f[i + 1]);
                }
            }
            if (relatedPort < 0 || relatedPort > 65535) {
                return Optional.empty();
            }
            return Optional.of(new IceCandidate(f[0], component, f[2].toLowerCase(Locale.ROOT), priority, f[4],
                    port, f[7], relatedAddress, relatedPort));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
