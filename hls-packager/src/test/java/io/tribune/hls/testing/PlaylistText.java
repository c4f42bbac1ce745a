package io.tribune.hls.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small, strict reader of the media playlists the packager writes, for the conformance checks. */
public final class PlaylistText {

    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)");

    public record PartEntry(String uri, double duration, boolean independent) {
    }

    public record SegmentEntry(long msn, String uri, double duration, List<PartEntry> parts, String programDateTime,
                               boolean discontinuity) {
    }

    /** A parsed media playlist; {@code openParts} are the parts after the last complete segment. */
    public record Media(int version, int targetDuration, double partTarget, double partHoldBack, boolean canBlock,
                        long mediaSequence, List<SegmentEntry> segments, List<PartEntry> openParts,
                        String openProgramDateTime, String preloadHint, boolean endList,
                        List<Map<String, String>> renditionReports, String map) {

        /** (msn, index) of the last part listed, or null. */
        public long[] lastPart() {
            if (!openParts.isEmpty()) {
                return new long[] {mediaSequence + segments.size(), openParts.size() - 1};
            }
            for (int i = segments.size() - 1; i >= 0; i--) {
                if (!segments.get(i).parts().isEmpty()) {
                    return new long[] {segments.get(i).msn(), segments.get(i).parts().size() - 1};
                }
            }
            return null;
        }

        /** Every part listed with its (msn, index). */
        public Map<String, long[]> partPositions() {
            Map<String, long[]> positions = new HashMap<>();
            for (SegmentEntry segment : segments) {
                for (int i = 0; i < segment.parts().size(); i++) {
                    positions.put(segment.parts().get(i).uri(), new long[] {segment.msn(), i});
                }
            }
            for (int i = 0; i < openParts.size(); i++) {
                positions.put(openParts.get(i).uri(), new long[] {mediaSequence + segments.size(), i});
            }
            return positions;
        }
    }

    private PlaylistText() {
    }

    public static Map<String, String> attributes(String list) {
        Map<String, String> attributes = new HashMap<>();
        Matcher m = ATTRIBUTE.matcher(list);
        while (m.find()) {
            String value = m.group(2);
            attributes.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        return attributes;
    }

    public static Media media(String text) {
        String[] lines = text.split("\n");
        if (!lines[0].equals("#EXTM3U")) {
            throw new AssertionError("no #EXTM3U");
        }
        int version = 0;
        int targetDuration = -1;
        double partTarget = -1;
        double partHoldBack = -1;
        boolean canBlock = false;
        long mediaSequence = 0;
        List<SegmentEntry> segments = new ArrayList<>();
        List<PartEntry> parts = new ArrayList<>();
        String pdt = null;
        boolean discontinuity = false;
        double extinf = -1;
        String hint = null;
        boolean endList = false;
        String map = null;
        List<Map<String, String>> reports = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            String tag = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            switch (tag) {
                case "#EXT-X-VERSION" -> version = Integer.parseInt(value);
                case "#EXT-X-TARGETDURATION" -> targetDuration = Integer.parseInt(value);
                case "#EXT-X-PART-INF" -> partTarget = Double.parseDouble(attributes(value).get("PART-TARGET"));
                case "#EXT-X-SERVER-CONTROL" -> {
                    Map<String, String> a = attributes(value);
                    canBlock = "YES".equals(a.get("CAN-BLOCK-RELOAD"));
                    partHoldBack = a.containsKey("PART-HOLD-BACK") ? Double.parseDouble(a.get("PART-HOLD-BACK")) : -1;
                }
                case "#EXT-X-MEDIA-SEQUENCE" -> mediaSequence = Long.parseLong(value);
                case "#EXT-X-MAP" -> map = attributes(value).get("URI");
                case "#EXT-X-PROGRAM-DATE-TIME" -> pdt = value;
                case "#EXT-X-DISCONTINUITY" -> discontinuity = true;
                case "#EXT-X-PART" -> {
                    Map<String, String> a = attributes(value);
                    parts.add(new PartEntry(a.get("URI"), Double.parseDouble(a.get("DURATION")),
                            "YES".equals(a.get("INDEPENDENT"))));
                }
                case "#EXTINF" -> extinf = Double.parseDouble(value.substring(0, value.indexOf(',')));
                case "#EXT-X-PRELOAD-HINT" -> hint = attributes(value).get("URI");
                case "#EXT-X-RENDITION-REPORT" -> reports.add(attributes(value));
                case "#EXT-X-ENDLIST" -> endList = true;
                case "#EXT-X-DISCONTINUITY-SEQUENCE", "#EXT-X-PLAYLIST-TYPE", "#EXT-X-INDEPENDENT-SEGMENTS" -> {
                }
                default -> {
                    if (line.startsWith("#")) {
                        throw new AssertionError("unexpected tag: " + line);
                    }
                    if (extinf < 0) {
                        throw new AssertionError("URI without EXTINF: " + line);
                    }
                    segments.add(new SegmentEntry(mediaSequence + segments.size(), line, extinf, List.copyOf(parts),
                            pdt, discontinuity));
                    parts.clear();
                    pdt = null;
                    discontinuity = false;
                    extinf = -1;
                }
            }
        }
        return new Media(version, targetDuration, partTarget, partHoldBack, canBlock, mediaSequence, segments,
                List.copyOf(parts), pdt, hint, endList, reports, map);
    }
}
