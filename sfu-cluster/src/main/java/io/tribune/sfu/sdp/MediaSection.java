package io.tribune.sfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One media description: the {@code m=} line (RFC 8866 §5.14) and the lines up to the next one.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind audio, video, application, ...
 * @param port the transport port (0 rejects the section, RFC 8843 §7.3.3)
 * @param protocol e.g. {@code UDP/TLS/RTP/SAVPF}
 * @param formats the payload types, in preference order
 * @param lines every line after the {@code m=} line, in order
 */
public record MediaSection(String kind, int port, String protocol, List<String> formats, List<SdpLine> lines) {

    public MediaSection {
        formats = List.copyOf(formats);
        lines = List.copyOf(lines);
    }

    /** Parses an {@code m=} value: {@code <media> <port>[/<count>] <proto> <fmt> ...}. */
    static MediaSection parseMediaLine(String value, List<SdpLine> lines) throws SdpParseException {
        String[] parts = value.split(" ");
        if (parts.length < 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
            throw new SdpParseException("malformed m= line: " + value);
        }
        String portText = parts[1].contains("/") ? parts[1].substring(0, parts[1].indexOf('/')) : parts[1];
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new SdpParseException("malformed port in m= line: " + value);
        }
        if (port < 0 || port > 65535 || parts[1].contains("/")) {
            throw new SdpParseException("unsupported port in m= line: " + value);
        }
        List<String> formats = new ArrayList<>();
        for (int i = 3; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                throw new SdpParseException("malformed format list in m= line: " + value);
            }
            formats.add(parts[i]);
        }
        return new MediaSection(parts[0], port, parts[2], formats, lines);
    }

    /** The {@code m=} line's value. */
    public String mediaLineValue() {
        StringBuilder sb = new StringBuilder(kind).append(' ').append(port).append(' ').append(protocol);
        for (String format : formats) {
            sb.append(' ').append(format);
        }
        return sb.toString();
    }

    /** The values of every attribute with this name, in order; property attributes give empty strings. */
    public List<String> attributes(String name) {
        List<String> out = new ArrayList<>();
        for (SdpLine line : lines) {
            if (line.isAttribute() && line.attributeName().equals(name)) {
                out.add(line.attributeValue() == null ? "" : line.attributeValue());
            }
        }
        return out;
    }

    /** The first value of the attribute, if present. */
    public Optional<String> attribute(String name) {
        List<String> values = attributes(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public boolean hasAttribute(String name) {
        return !attributes(name).isEmpty();
    }
}
