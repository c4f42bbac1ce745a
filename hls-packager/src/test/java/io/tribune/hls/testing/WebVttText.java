package io.tribune.hls.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a WebVTT subtitle segment back, strictly enough to catch what a player would trip on: the signature, one
 * X-TIMESTAMP-MAP in the header, cue blocks of identifier, timing line and one text line, no negative or reversed
 * times. Also does what hls.js does with the map, so tests can ask when a cue plays on the video's media timeline.
 */
public record WebVttText(long mpegTs, long localMillis, List<Cue> cues) {

    private static final Pattern MAP = Pattern.compile("X-TIMESTAMP-MAP=MPEGTS:(\\d+),LOCAL:(\\S+)");
    private static final Pattern TIME = Pattern.compile("(\\d{2,}):([0-5]\\d):([0-5]\\d)\\.(\\d{3})");
    private static final Pattern TIMING = Pattern.compile("(\\S+) --> (\\S+)");

    /** One cue; times in milliseconds on the file's local clock. */
    public record Cue(String id, long startMillis, long endMillis, String text) {
    }

    public static WebVttText parse(byte[] bytes) {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        if (!lines[0].equals("WEBVTT")) {
            throw new IllegalArgumentException("no WEBVTT signature: " + lines[0]);
        }
        int i = 1;
        long mpegTs = -1;
        long local = -1;
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            Matcher m = MAP.matcher(lines[i]);
            if (m.matches()) {
                if (mpegTs >= 0) {
                    throw new IllegalArgumentException("two X-TIMESTAMP-MAPs");
                }
                mpegTs = Long.parseLong(m.group(1));
                local = millis(m.group(2));
            } else {
                throw new IllegalArgumentException("unexpected header line: " + lines[i]);
            }
        }
        List<Cue> cues = new ArrayList<>();
        while (i < lines.length) {
            if (lines[i].isEmpty()) {
                i++;
                continue;
            }
            String id = lines[i++];
            if (id.contains("-->")) {
                throw new IllegalArgumentException("cue without identifier: " + id);
            }
            Matcher timing = TIMING.matcher(lines[i++]);
            if (!timing.matches()) {
                throw new IllegalArgumentException("bad timing line after " + id);
            }
            long start = millis(timing.group(1));
            long end = millis(timing.group(2));
            if (end < start) {
                throw new IllegalArgumentException("cue " + id + " ends before it starts");
            }
            String text = lines[i++];
            if (i < lines.length && !lines[i].isEmpty()) {
                throw new IllegalArgumentException("cue " + id + " has more than one text line");
            }
            cues.add(new Cue(id, start, end, text));
        }
        return new WebVttText(mpegTs, local, cues);
    }

    private static long millis(String time) {
        Matcher m = TIME.matcher(time);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad timestamp " + time);
        }
        return ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3)))
                * 1000 + Long.parseLong(m.group(4));
    }

    /** When a local time plays on the video's timeline, in seconds of pts (hls.js: MPEGTS / 90000 + t - LOCAL). */
    public double mediaSeconds(long localMillis) {
        return mpegTs / 90_000.0 + (localMillis - this.localMillis) / 1000.0;
    }

    public Cue cue(String id) {
        return cues.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }
}
