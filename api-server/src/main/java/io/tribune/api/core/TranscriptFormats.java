package io.tribune.api.core;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A transcript as a file: WebVTT (W3C WebVTT, speakers as voice spans {@code <v Name>}), SubRip (SRT) and plain
 * text. Times are offsets from {@code origin} (a recording's start, so the cues line up with its video). Text is
 * escaped where the format needs it: in WebVTT {@code &}, {@code <} and {@code >} (so no cue can contain
 * {@code -->} or open a tag); SRT and text carry it unchanged, on one line. Stateless.
 */
public final class TranscriptFormats {

    private TranscriptFormats() {
    }

    /** The formats a client may ask for ({@code format=}). */
    public enum Format {
        JSON("application/json", "json"), VTT("text/vtt; charset=utf-8", "vtt"),
        SRT("application/x-subrip; charset=utf-8", "srt"), TXT("text/plain; charset=utf-8", "txt");

        private final String mediaType;
        private final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        public String mediaType() {
            return mediaType;
        }

        public String extension() {
            return extension;
        }

        /** The format named by a query parameter; null when it is none of json, vtt, srt, txt. */
        public static Format parse(String value) {
            if (value == null || value.isBlank()) {
                return JSON;
            }
            for (Format format : values()) {
                if (format.extension.equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return format;
                }
            }
            return null;
        }
    }

    public static String webVtt(List<TranscriptSegment> segments, Instant origin) {
        StringBuilder out = new StringBuilder("WEBVTT\n\n");
        int index = 1;
        for (TranscriptSegment segment : segments) {
            out.append(index++).append('\n')
                    .append(timestamp(segment.offsetMillis(origin), '.')).append(" --> ")
                    .append(timestamp(cueEnd(segment, origin), '.')).append('\n')
                    .append("<v ").append(vttEscape(oneLine(segment.speaker()))).append('>')
                    .append(vttEscape(oneLine(segment.text()))).append("\n\n");
        }
        return out.toString();
    }

    public static String srt(List<TranscriptSegment> segments, Instant origin) {
        StringBuilder out = new StringBuilder();
        int index = 1;
        for (TranscriptSegment segment : segments) {
            out.append(index++).append('\n')
                    .append(timestamp(segment.offsetMillis(origin), ',')).append(" --> ")
                    .append(timestamp(cueEnd(segment, origin), ',')).append('\n')
                    .append(oneLine(segment.speaker())).append(": ").append(oneLine(segment.text())).append("\n\n");
        }
        return out.toString();
    }

    /** One line per segment: {@code [H:MM:SS] Name: text}. */
    public static String text(List<TranscriptSegment> segments, Instant origin) {
        StringBuilder out = new StringBuilder();
        for (TranscriptSegment segment : segments) {
            long seconds = segment.offsetMillis(origin) / 1000;
            out.append(String.format(Locale.ROOT, "[%d:%02d:%02d] ", seconds / 3600, seconds / 60 % 60, seconds % 60))
                    .append(oneLine(segment.speaker())).append(": ").append(oneLine(segment.text())).append('\n');
        }
        return out.toString();
    }

    /** A cue's end: players drop cues whose end is not after their start, so a zero-length phrase gets 1 ms. */
    private static long cueEnd(TranscriptSegment segment, Instant origin) {
        return Math.max(segment.endOffsetMillis(origin), segment.offsetMillis(origin) + 1);
    }

    /** {@code HH:MM:SS.mmm} (WebVTT, with '.') or {@code HH:MM:SS,mmm} (SRT, with ','); hours may pass 99. */
    static String timestamp(long millis, char separator) {
        long hours = millis / 3_600_000;
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", hours, millis / 60_000 % 60, millis / 1000 % 60,
                separator, millis % 1000);
    }

    private static String oneLine(String text) {
        // A blank line ends a cue in both formats; the worker's text is one line, but a name might not be.
        return text.replaceAll("[\\r\\n\\u2028\\u2029]+", " ").strip();
    }

    private static String vttEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
