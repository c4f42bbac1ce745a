package io.tribune.sfu.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session description (RFC 8866): the session-level lines and the media sections, kept line for line so that
 * {@link #parse} and {@link #toString} round-trip. WebRTC meaning is read by {@link WebRtcOffer}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sessionLines the lines before the first {@code m=} line, {@code v=} first
 * @param media the media sections in order
 */
public record SessionDescription(List<SdpLine> sessionLines, List<MediaSection> media) {

    /** Offers from browsers are a few KiB; anything far larger is refused before parsing. */
    public static final int MAX_LENGTH = 64 * 1024;

    public SessionDescription {
        sessionLines = List.copyOf(sessionLines);
        media = List.copyOf(media);
    }

    /**
     * Parses SDP text with CRLF or LF line ends (RFC 8866 §5 requires CRLF; §5 also asks parsers to accept LF).
     *
     * @throws SdpParseException when a line is not {@code <letter>=<value>}, {@code v=0} is not first, or an
     *     {@code m=} line is malformed
     */
    public static SessionDescription parse(String text) throws SdpParseException {
        if (text.length() > MAX_LENGTH) {
            throw new SdpParseException("SDP longer than " + MAX_LENGTH + " characters");
        }
        String[] rawLines = text.split("\n", -1);
        List<SdpLine> session = new ArrayList<>();
        List<MediaSection> media = new ArrayList<>();
        String mediaLine = null;
        List<SdpLine> current = session;
        for (int i = 0; i < rawLines.length; i++) {
            String raw = rawLines[i].endsWith("\r") ? rawLines[i].substring(0, rawLines[i].length() - 1)
                    : rawLines[i];
            if (raw.isEmpty()) {
                if (i == rawLines.length - 1) {
                    break;
                }
                throw new SdpParseException("empty line " + (i + 1));
            }
            if (raw.length() < 2 || raw.charAt(1) != '=' || raw.charAt(0) < 'a' || raw.charAt(0) > 'z') {
                throw new SdpParseException("line " + (i + 1) + " is not <type>=<value>");
            }
            SdpLine line = new SdpLine(raw.charAt(0), raw.substring(2));
            if (i == 0 && !(line.type() == 'v' && line.value().equals("0"))) {
                throw new SdpParseException("SDP must start with v=0");
            }
            if (line.type() == 'm') {
                if (mediaLine != null) {
                    media.add(MediaSection.parseMediaLine(mediaLine, current));
                }
                mediaLine = line.value();
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        if (session.isEmpty()) {
            throw new SdpParseException("empty SDP");
        }
        if (mediaLine != null) {
            media.add(MediaSection.parseMediaLine(mediaLine, current));
        }
        return new SessionDescription(session, media);
    }

    /** Parses UTF-8 bytes; see {@link #parse(String)}. */
    public static SessionDescription parse(byte[] utf8) throws SdpParseException {
        return parse(new String(utf8, StandardCharsets.UTF_8));
    }

    /** Session-level attribute values with this name. */
    public List<String> attributes(String name) {
        List<String> out = new ArrayList<>();
        for (SdpLine line : sessionLines) {
            if (line.isAttribute() && line.attributeName().equals(name)) {
                out.add(line.attributeValue() == null ? "" : line.attributeValue());
            }
        }
        return out;
    }

    public Optional<String> attribute(String name) {
        List<String> values = attributes(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The SDP text, CRLF line ends. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (SdpLine line : sessionLines) {
            sb.append(line).append("\r\n");
        }
        for (MediaSection section : media) {
            sb.append("m=").append(section.mediaLineValue()).append("\r\n");
            for (SdpLine line : section.lines()) {
                sb.append(line).append("\r\n");
            }
        }
        return sb.toString();
    }
}
