package io.tribune.hls.live;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Renders media playlists per rfc8216bis (HLS 2nd edition) with the Low-Latency extensions: TARGETDURATION,
 * SERVER-CONTROL (CAN-BLOCK-RELOAD, PART-HOLD-BACK), PART-INF, PROGRAM-DATE-TIME on every segment, PART tags for
 * the last segments, PRELOAD-HINT and RENDITION-REPORT. URIs are relative to the playlist. Classic clients ignore
 * the LL tags and play the EXTINF segments. Stateless.
 */
final class MediaPlaylist {

    private static final DateTimeFormatter PDT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);
    /** Complete segments whose parts are still listed (plus the open one): about three target durations. */
    private static final int SEGMENTS_WITH_PARTS = 2;

    private MediaPlaylist() {
    }

    static String live(Rendition rendition, List<Segment> retained, Segment open, List<Rendition.Report> others,
                       boolean ended) {
        LiveSettings settings = rendition.settings();
        int window = settings.windowSegments();
        List<Segment> listed = retained.subList(Math.max(0, retained.size() - window), retained.size());
        StringBuilder out = new StringBuilder(2048);
        out.append("#EXTM3U\n#EXT-X-VERSION:6\n");
        out.append("#EXT-X-TARGETDURATION:").append(settings.targetDurationSeconds()).append('\n');
        if (rendition.hasParts()) {
            out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=")
                    .append(seconds(settings.partHoldBack().toNanos() / 1e9)).append('\n');
            out.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(settings.partTargetSeconds())).append('\n');
        } else {
            out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n");
        }
        Segment first = !listed.isEmpty() ? listed.get(0) : open;
        long firstMsn = first != null ? first.msn() : Rendition.FIRST_MSN;
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(firstMsn).append('\n');
        long discontinuitySequence = first != null ? rendition.discontinuitiesBefore(firstMsn) : 0;
        if (discontinuitySequence > 0) {
            out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        }
        String map = null;
        for (int i = 0; i < listed.size(); i++) {
            Segment segment = listed.get(i);
            map = segmentHeader(out, rendition, segment, map);
            if (rendition.hasParts() && i >= listed.size() - SEGMENTS_WITH_PARTS) {
                parts(out, rendition, segment);
            }
            out.append("#EXTINF:").append(seconds(segment.duration())).append(",\n");
            out.append(rendition.runId()).append('/').append(segment.fileName(rendition.segmentExtension()))
                    .append('\n');
        }
        if (open != null && !open.parts().isEmpty()) {
            segmentHeader(out, rendition, open, map);
            parts(out, rendition, open);
        }
        if (ended) {
            out.append("#EXT-X-ENDLIST\n");
            return out.toString();
        }
        if (rendition.hasParts()) {
            out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(rendition.runId()).append("/p")
                    .append(rendition.nextPartNumber()).append(".m4s\"\n");
        }
        for (Rendition.Report report : others) {
            out.append("#EXT-X-RENDITION-REPORT:URI=\"../").append(report.name()).append("/index.m3u8\",LAST-MSN=")
                    .append(report.lastMsn());
            if (report.lastPart() >= 0) {
                out.append(",LAST-PART=").append(report.lastPart());
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String vod(Rendition rendition, List<Rendition.SegmentInfo> history) {
        StringBuilder out = new StringBuilder(64 + history.size() * 96);
        out.append("#EXTM3U\n#EXT-X-VERSION:6\n");
        out.append("#EXT-X-TARGETDURATION:").append(rendition.settings().targetDurationSeconds()).append('\n');
        out.append("#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MEDIA-SEQUENCE:").append(history.isEmpty() ? Rendition.FIRST_MSN
                : history.get(0).msn()).append('\n');
        String map = null;
        for (Rendition.SegmentInfo segment : history) {
            if (segment.discontinuity()) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            if (segment.initFile() != null && !segment.initFile().equals(map)) {
                map = segment.initFile();
                out.append("#EXT-X-MAP:URI=\"").append(rendition.runId()).append('/').append(map).append("\"\n");
            }
            out.append("#EXT-X-PROGRAM-DATE-TIME:").append(PDT.format(segment.programDateTime())).append('\n');
            out.append("#EXTINF:").append(seconds(segment.duration())).append(",\n");
            out.append(rendition.runId()).append("/s").append(segment.msn()).append(rendition.segmentExtension())
                    .append('\n');
        }
        out.append("#EXT-X-ENDLIST\n");
        return out.toString();
    }

    /** DISCONTINUITY, MAP (when it changes) and PROGRAM-DATE-TIME before a segment; returns the map in force. */
    private static String segmentHeader(StringBuilder out, Rendition rendition, Segment segment, String map) {
        if (segment.discontinuity()) {
            out.append("#EXT-X-DISCONTINUITY\n");
        }
        if (segment.initFile() != null && !segment.initFile().equals(map)) {
            map = segment.initFile();
            out.append("#EXT-X-MAP:URI=\"").append(rendition.runId()).append('/').append(map).append("\"\n");
        }
        out.append("#EXT-X-PROGRAM-DATE-TIME:").append(formatTime(segment.programDateTime())).append('\n');
        return map;
    }

    private static void parts(StringBuilder out, Rendition rendition, Segment segment) {
        for (Part part : segment.parts()) {
            out.append("#EXT-X-PART:DURATION=").append(seconds(part.duration())).append(",URI=\"")
                    .append(rendition.runId()).append('/').append(part.fileName()).append('"');
            if (part.independent()) {
                out.append(",INDEPENDENT=YES");
            }
            out.append('\n');
        }
    }

    static String formatTime(Instant instant) {
        return PDT.format(instant);
    }

    /** Seconds with millisecond precision, as EXTINF and DURATION carry them. */
    static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
