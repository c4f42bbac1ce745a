package io.tribune.hls.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes one WebVTT subtitle segment of a live event (W3C WebVTT; rfc8216bis 3.1.4 for the HLS side).
 *
 * <p>Timing. Cue times in the file are on a local clock whose zero is the earlier of the segment's start and its
 * earliest cue, so no time is negative (a cue that began in an earlier segment, or a late one). The header maps that
 * clock onto the video:
 * <pre>
 *   X-TIMESTAMP-MAP=MPEGTS:&lt;the segment's first video pts on a 90 kHz clock&gt;,LOCAL:&lt;the segment's start&gt;
 * </pre>
 * so a cue that starts at wall-clock time {@code t} plays at the video's media time {@code mpegTs / 90000 + (t -
 * programDateTime)}: the segment's PROGRAM-DATE-TIME is the capture time of that first video sample. hls.js 1.4
 * does exactly this for fMP4 video: {@code cueTime - LOCAL + (MPEGTS - initPTS * 90000) / 90000}, with initPTS
 * the media time it subtracts from the video's {@code tfdt}. MPEGTS is written unwrapped (not modulo 2^33), as
 * hls.js compares it with the unwrapped {@code tfdt}; the transcoder's timestamps start near 0.
 *
 * <p>Cues carry their id (players deduplicate a cue repeated in the next segment by it), the speaker as a voice
 * span ({@code <v Name>}), and text with {@code & < >} escaped and line breaks folded into spaces (a blank line
 * would end the cue). Stateless.
 */
public final class WebVtt {

    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\u2028\\u2029]+");
    private static final Pattern NOT_ID = Pattern.compile("[^A-Za-z0-9._:-]");
    private static final long MPEG_TS_HZ = 90_000;

    private WebVtt() {
    }

    /**
     * @param programDateTime the segment's PROGRAM-DATE-TIME (its first video sample's capture time)
     * @param mpegTs          that sample's pts on a 90 kHz clock
     * @param cues            the segment's cues ({@link SubtitleCues#take})
     */
    public static byte[] segment(Instant programDateTime, long mpegTs, List<SubtitleCues.Cue> cues) {
        Instant zero = programDateTime.truncatedTo(ChronoUnit.MILLIS);
        for (SubtitleCues.Cue cue : cues) {
            Instant start = cue.start().truncatedTo(ChronoUnit.MILLIS);
            if (start.isBefore(zero)) {
                zero = start;
            }
        }
        StringBuilder out = new StringBuilder("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:").append(mpegTs).append(",LOCAL:")
                .append(timestamp(zero, programDateTime)).append("\n\n");
        for (SubtitleCues.Cue cue : cues) {
            out.append(identifier(cue.id())).append('\n')
                    .append(timestamp(zero, cue.start())).append(" --> ").append(timestamp(zero, cue.end()))
                    .append('\n');
            if (cue.speaker() != null && !cue.speaker().isBlank()) {
                out.append("<v ").append(escape(cue.speaker().strip())).append('>');
            }
            out.append(escape(cue.text().strip())).append("\n\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The video's pts on the 90 kHz clock of X-TIMESTAMP-MAP. */
    public static long mpegTs(long pts, long timescale) {
        return Math.floorDiv(pts, timescale) * MPEG_TS_HZ + Math.floorMod(pts, timescale) * MPEG_TS_HZ / timescale;
    }

    /** {@code hh:mm:ss.ttt} of {@code time} on the clock that starts at {@code zero} (never before it). */
    static String timestamp(Instant zero, Instant time) {
        long millis = Math.max(0, Duration.between(zero, time.truncatedTo(ChronoUnit.MILLIS)).toMillis());
        return String.format("%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60,
                millis % 1000);
    }

    /** Cue text or a voice annotation: WebVTT's three escapes, one line. */
    static String escape(String text) {
        String oneLine = LINE_BREAKS.matcher(text).replaceAll(" ");
        StringBuilder out = new StringBuilder(oneLine.length() + 16);
        for (int i = 0; i < oneLine.length(); i++) {
            char c = oneLine.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A cue identifier: no "-->" and no line break allowed, so anything but a plain token becomes '_'. */
    static String identifier(String id) {
        String token = NOT_ID.matcher(id).replaceAll("_");
        return token.isEmpty() ? "_" : token;
    }
}
