package io.tribune.sfu.sdp;

/**
 * One {@code <type>=<value>} line (RFC 8866 §5). For attributes ({@code a=}), {@link #attributeName()} and
 * {@link #attributeValue()} split {@code name:value}.
 *
 * @param type the one-letter type
 * @param value everything after {@code =}, kept exactly
 */
public record SdpLine(char type, String value) {

    public static SdpLine attribute(String name) {
        return new SdpLine('a', name);
    }

    public static SdpLine attribute(String name, String value) {
        return new SdpLine('a', name + ":" + value);
    }

    public boolean isAttribute() {
        return type == 'a';
    }

    /** The attribute's name: the part before the first colon. */
    public String attributeName() {
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** The attribute's value after the first colon, or null for a property attribute like {@code a=rtcp-mux}. */
    public String attributeValue() {
        int colon = value.indexOf(':');
        return colon < 0 ? null : value.substring(colon + 1);
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
