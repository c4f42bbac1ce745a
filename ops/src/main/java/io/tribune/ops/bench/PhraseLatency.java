package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench captions}: which final captions belong to which spoken phrase, and how late each phrase's came.
 * A final belongs to a phrase when its span overlaps the phrase's voiced span widened by {@value #SLACK_MILLIS} ms on
 * each side (the VAD's pre-roll and Vosk's word times are not sample-exact). A phrase's latency runs from the send
 * time of its last voiced packet to the arrival of the last final that belongs to it: a phrase Vosk splits in two is
 * shown whole only once its second part arrives. Static methods on immutable values: thread-safe.
 */
final class PhraseLatency {

    /** How far a final's span may lie outside a phrase's voiced span and still belong to it. */
    static final long SLACK_MILLIS = 300;

    /**
     * A final caption as it arrived.
     *
     * @param startMillis  the phrase's start, in milliseconds from the track's first packet
     * @param endMillis    its end, likewise
     * @param arrivalNanos when it arrived ({@link System#nanoTime()})
     */
    record Final(String phraseId, String text, long startMillis, long endMillis, long arrivalNanos) {
    }

    private PhraseLatency() {
    }

    /**
     * The latency of each phrase in seconds, {@code NaN} for a phrase no final belongs to (or whose end was never
     * sent).
     *
     * @param phraseStarts       each phrase's first voiced millisecond from the track's first packet
     * @param phraseEnds         its last voiced millisecond
     * @param phraseEndSentNanos when the packet holding each phrase's end was sent ({@link System#nanoTime()}); may
     *                           be shorter than the phrases
     */
    static double[] latencies(List<Long> phraseStarts, List<Long> phraseEnds, List<Long> phraseEndSentNanos,
                              List<Final> finals) {
        double[] seconds = new double[phraseEnds.size()];
        for (int p = 0; p < phraseEnds.size(); p++) {
            long start = phraseStarts.get(p) - SLACK_MILLIS;
            long end = phraseEnds.get(p) + SLACK_MILLIS;
            long last = Long.MIN_VALUE;
            for (Final f : finals) {
                if (f.startMillis() < end && f.endMillis() > start) {
                    last = Math.max(last, f.arrivalNanos());
                }
            }
            seconds[p] = last == Long.MIN_VALUE || p >= phraseEndSentNanos.size() ? Double.NaN
                    : (last - phraseEndSentNanos.get(p)) / 1e9;
        }
        return seconds;
    }

    /**
     * The text a viewer is left with: the last final of each phrase id (a later caption with the same id replaces
     * an earlier one, as on the web client), in order of the phrases' starts.
     */
    static String transcript(List<Final> finals) {
        Map<String, Final> byPhrase = new LinkedHashMap<>();
        for (Final f : finals) {
            byPhrase.remove(f.phraseId());
            byPhrase.put(f.phraseId(), f);
        }
        List<Final> shown = new ArrayList<>(byPhrase.values());
        shown.sort(Comparator.comparingLong(Final::startMillis));
        return String.join(" ", shown.stream().map(Final::text).filter(t -> !t.isBlank()).toList());
    }

    /**
     * A meeting channel's {@code caption} message (docs/meeting-channel.md) as a final of track {@code trackId}, or
     * null when it is anything else: another type, a partial, another track's phrase (phrase ids are
     * {@code <trackId>-<n>}, or {@code <trackId>-<epoch ms>-<n>} for a transcriber that began mid-track), or without
     * readable times. Its wall-clock {@code start}/{@code end} become offsets from {@code firstArrivalMillis}, the
     * arrival time (epoch ms) the track's first packet carried, which is where the worker's timeline starts.
     */
    static Final fromChannel(JsonNode message, String trackId, long firstArrivalMillis, long arrivalNanos) {
        if (!"caption".equals(message.path("type").asText()) || !message.path("final").asBoolean(false)
                || !message.path("phrase_id").asText().startsWith(trackId + "-")) {
            return null;
        }
        try {
            long start = Instant.parse(message.path("start").asText()).toEpochMilli();
            long end = Instant.parse(message.path("end").asText()).toEpochMilli();
            return new Final(message.path("phrase_id").asText(), message.path("text").asText(),
                    start - firstArrivalMillis, end - firstArrivalMillis, arrivalNanos);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
