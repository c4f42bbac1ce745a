package io.tribune.api.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The planning meeting of {@code transcripts/planning-meeting.tsv} as segments, starting at {@link #ORIGIN}. */
public final class FixedTranscript {

    public static final Instant ORIGIN = Instant.parse("2026-11-20T09:00:00Z");

    /** One line of the file. */
    public record Line(double startSeconds, double endSeconds, String participantId, String name, String text) {
        public Instant start() {
            return ORIGIN.plusMillis(Math.round(startSeconds * 1000));
        }

        public Instant end() {
            return ORIGIN.plusMillis(Math.round(endSeconds * 1000));
        }
    }

    private FixedTranscript() {
    }

    public static List<Line> lines() {
        try (InputStream in = FixedTranscript.class.getResourceAsStream("/transcripts/planning-meeting.tsv")) {
            List<Line> lines = new ArrayList<>();
            for (String row : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (row.isBlank() || row.startsWith("#")) {
                    continue;
                }
                String[] f = row.split("\t");
                lines.add(new Line(Double.parseDouble(f[0]), Double.parseDouble(f[1]), f[2], f[3], f[4]));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<TranscriptSegment> segments() {
        List<TranscriptSegment> segments = new ArrayList<>();
        long id = 1;
        for (Line line : lines()) {
            segments.add(new TranscriptSegment(id, "meeting", "phrase-" + id, line.participantId(), line.name(),
                    line.text(), line.start(), line.end()));
            id++;
        }
        return segments;
    }
}
