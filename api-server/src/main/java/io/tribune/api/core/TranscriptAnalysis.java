package io.tribune.api.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the api-server reads out of a transcript by itself, with no external service: chapters (from pauses and
 * speaker changes, each titled by its most distinctive words) and an extractive summary (key points, action items,
 * decisions), all made of the speakers' own phrases. Deterministic: the same segments give the same result.
 * Stateless and thread-safe.
 *
 * <p>Chapters: a new chapter starts at a pause of at least {@code pause} once the current chapter lasted
 * {@code minimum}, or at a change of speaker once it lasted twice that (a dialogue changes speaker every few
 * seconds; a pause is the stronger sign of a new topic). A last chapter shorter than half the minimum joins the one
 * before. A chapter's title is its three words with the highest TF-IDF against the other chapters.
 *
 * <p>Key points: the phrases closest (cosine of TF-IDF vectors, phrases as documents) to the centroid of the whole
 * transcript, about one per twelve phrases (1 to 7), near-duplicates left out, in spoken order. Action items and
 * decisions: phrases with cue phrases ("I will", "can you", "action item", "by Friday"; "we decided", "agreed",
 * "let's go with"), at most ten each.
 */
public final class TranscriptAnalysis {

    private static final int MAX_CUED = 10;
    private static final int MAX_KEY_POINTS = 7;

    private static final Pattern ACTION = Pattern.compile("\\b(i will|i'll|we will|we'll|you will|you'll|will you|"
            + "can you|could you|would you|please|action items?|to-?do|follow[ -]up|i'm going to|we're going to|"
            + "need to|needs to|have to|has to|make sure|take care of|by (monday|tuesday|wednesday|thursday|friday|"
            + "tomorrow|tonight|next week|the end of|end of)|assign(ed)? to|owner)\\b");
    private static final Pattern DECISION = Pattern.compile("\\b(we decided|decided|we agreed|agreed|agree on|"
            + "decision|let's go with|we'll go with|we will go with|go ahead with|approved|settled on|"
            + "we're going with|we are going with|final call|conclusion is|resolved)\\b");

    private TranscriptAnalysis() {
    }

    /** A chapter: a title and its span as offsets from the transcript's origin. */
    public record Chapter(@JsonProperty("title") String title, @JsonProperty("offset_ms") long offsetMillis,
                          @JsonProperty("end_offset_ms") long endOffsetMillis) {
    }

    /** One phrase picked for the summary: who said it and where. */
    public record Item(@JsonProperty("text") String text, @JsonProperty("name") String name,
                       @JsonProperty("start") Instant start, @JsonProperty("offset_ms") long offsetMillis) {
    }

    /** The extractive summary. */
    public record Summary(@JsonProperty("key_points") List<Item> keyPoints,
                          @JsonProperty("action_items") List<Item> actionItems,
                          @JsonProperty("decisions") List<Item> decisions) {
        public Summary {
            keyPoints = keyPoints == null ? List.of() : List.copyOf(keyPoints);
            actionItems = actionItems == null ? List.of() : List.copyOf(actionItems);
            decisions = decisions == null ? List.of() : List.copyOf(decisions);
        }

        /** The same items with offsets from another origin (a recording's start). */
        public Summary rebased(Instant origin) {
            return new Summary(rebase(keyPoints, origin), rebase(actionItems, origin), rebase(decisions, origin));
        }

        private static List<Item> rebase(List<Item> items, Instant origin) {
            return items.stream().map(i -> new Item(i.text(), i.name(), i.start(),
                    i.start() == null ? i.offsetMillis() : Math.max(0, Duration.between(origin, i.start())
                            .toMillis()))).toList();
        }
    }

    /** The chapters of time-ordered segments; empty for no segments. */
    public static List<Chapter> chapters(List<TranscriptSegment> segments, Instant origin, Duration pause,
                                         Duration minimum) {
        List<List<TranscriptSegment>> groups = new ArrayList<>();
        List<TranscriptSegment> current = new ArrayList<>();
        for (TranscriptSegment segment : segments) {
            if (!current.isEmpty()) {
                TranscriptSegment previous = current.get(current.size() - 1);
                Duration lasted = Duration.between(current.get(0).start(), previous.end());
                boolean paused = Duration.between(previous.end(), segment.start()).compareTo(pause) >= 0;
                boolean otherSpeaker = !Objects.equals(speakerKey(previous), speakerKey(segment));
                if ((paused && lasted.compareTo(minimum) >= 0)
                        || (otherSpeaker && lasted.compareTo(minimum.multipliedBy(2)) >= 0)) {
                    groups.add(current);
                    current = new ArrayList<>();
                }
            }
            current.add(segment);
        }
        if (!current.isEmpty()) {
            Duration lasted = Duration.between(current.get(0).start(), current.get(current.size() - 1).end());
            if (!groups.isEmpty() && lasted.compareTo(minimum.dividedBy(2)) < 0) {
                groups.get(groups.size() - 1).addAll(current);
            } else {
                groups.add(current);
            }
        }
        List<Map<String, Integer>> documents = groups.stream().map(g -> TranscriptWords.counts(joined(g))).toList();
        Map<String, Integer> frequencies = TranscriptWords.documentFrequencies(documents);
        List<Chapter> chapters = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            List<TranscriptSegment> group = groups.get(i);
            long end = group.stream().mapToLong(s -> s.endOffsetMillis(origin)).max().orElse(0);
            chapters.add(new Chapter(title(documents.get(i), frequencies, groups.size(), i + 1),
                    group.get(0).offsetMillis(origin), end));
        }
        return chapters;
    }

    private static String title(Map<String, Integer> counts, Map<String, Integer> frequencies, int documents,
                                int number) {
        List<Map.Entry<String, Double>> scored = new ArrayList<>();
        counts.forEach((word, count) -> scored.add(Map.entry(word,
                count * TranscriptWords.idf(documents, frequencies.get(word)))));
        scored.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> words = scored.stream().limit(3).map(Map.Entry::getKey).toList();
        if (words.isEmpty()) {
            return "Chapter " + number;
        }
        String title = String.join(", ", words);
        return title.substring(0, 1).toUpperCase(Locale.ROOT) + title.substring(1);
    }

    /** The extractive summary of time-ordered segments, offsets from {@code origin}; null for no segments. */
    public static Summary summary(List<TranscriptSegment> segments, Instant origin) {
        if (segments.isEmpty()) {
            return null;
        }
        List<Map<String, Integer>> documents = segments.stream().map(s -> TranscriptWords.counts(s.text())).toList();
        Map<String, Integer> frequencies = TranscriptWords.documentFrequencies(documents);
        int n = segments.size();
        List<Map<String, Double>> vectors = new ArrayList<>();
        Map<String, Double> centroid = new HashMap<>();
        for (Map<String, Integer> document : documents) {
            Map<String, Double> vector = new HashMap<>();
            document.forEach((word, count) -> vector.put(word, count * TranscriptWords.idf(n, frequencies.get(word))));
            vectors.add(vector);
            vector.forEach((word, weight) -> centroid.merge(word, weight, Double::sum));
        }
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // A key point says something: at least six words, three of them content words.
            if (TranscriptWords.all(segments.get(i).text()).size() >= 6 && documents.get(i).size() >= 3) {
                candidates.add(i);
            }
        }
        double[] scores = new double[n];
        for (int i : candidates) {
            scores[i] = cosine(vectors.get(i), centroid);
        }
        candidates.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        int wanted = Math.max(1, Math.min(MAX_KEY_POINTS, Math.round(n / 12f)));
        List<Integer> picked = new ArrayList<>();
        for (int i : candidates) {
            if (picked.size() == wanted) {
                break;
            }
            if (picked.stream().noneMatch(j -> cosine(vectors.get(i), vectors.get(j)) > 0.8)) {
                picked.add(i);
            }
        }
        picked.sort(Integer::compare);
        List<Item> keyPoints = picked.stream().map(i -> item(segments.get(i), origin)).toList();
        List<Item> actions = cued(segments, origin, ACTION);
        List<Item> decisions = cued(segments, origin, DECISION);
        return new Summary(keyPoints, actions, decisions);
    }

    private static List<Item> cued(List<TranscriptSegment> segments, Instant origin, Pattern cue) {
        return segments.stream()
                .filter(s -> cue.matcher(s.text().toLowerCase(Locale.ROOT)).find())
                .limit(MAX_CUED)
                .map(s -> item(s, origin))
                .toList();
    }

    private static Item item(TranscriptSegment segment, Instant origin) {
        return new Item(segment.text(), segment.speaker(), segment.start(), segment.offsetMillis(origin));
    }

    private static double cosine(Map<String, Double> a, Map<String, Double> b) {
        double dot = 0;
        for (Map.Entry<String, Double> entry : a.entrySet()) {
            Double other = b.get(entry.getKey());
            if (other != null) {
                dot += entry.getValue() * other;
            }
        }
        double norms = norm(a) * norm(b);
        return norms == 0 ? 0 : dot / norms;
    }

    private static double norm(Map<String, Double> vector) {
        double sum = 0;
        for (double value : vector.values()) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }

    private static String speakerKey(TranscriptSegment segment) {
        return segment.participantId() != null ? segment.participantId() : segment.name();
    }

    private static String joined(List<TranscriptSegment> segments) {
        StringBuilder text = new StringBuilder();
        for (TranscriptSegment segment : segments) {
            text.append(segment.text()).append('\n');
        }
        return text.toString();
    }
}
