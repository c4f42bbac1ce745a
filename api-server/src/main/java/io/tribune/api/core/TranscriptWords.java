package io.tribune.api.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of transcript text for chapter titles and summaries: lower-cased, English stop words and fillers
 * ("um", "okay") left out, and document frequencies for TF-IDF over a set of texts. Stateless.
 */
final class TranscriptWords {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}]+)?");

    private static final Set<String> STOP = Set.copyOf(Arrays.asList(("a about above after again against all also "
            + "am an and any are "
            + "aren't as at be because been before being below between both but by can can't cannot could couldn't "
            + "did didn't do does doesn't doing don't down during each few for from further get got had hadn't has "
            + "hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i "
            + "i'd i'll i'm i've if in into is isn't it it's its itself just let let's like me more most much must "
            + "mustn't my myself no nor not now of off on once one only or other ought our ours ourselves out over "
            + "own really right same say said she she'd she'll she's should shouldn't so some such than that that's "
            + "the their theirs them themselves then there there's these they they'd they'll they're they've thing "
            + "things think this those through to too under until up us very was wasn't we we'd we'll we're we've "
            + "well were weren't what what's when when's where where's which while who who's whom why why's will "
            + "with won't would wouldn't yeah yes you you'd you'll you're you've your yours yourself yourselves "
            + "um uh hmm okay ok oh ah so going gonna want wanna know see go need make yeah actually maybe "
            + "two three four five").split(" ")));

    private TranscriptWords() {
    }

    /** Every word, lower-cased, in order (stop words included). */
    static List<String> all(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    /** The content words: no stop words, no numbers, at least three letters. */
    static List<String> content(String text) {
        List<String> words = new ArrayList<>();
        for (String word : all(text)) {
            if (word.length() >= 3 && !STOP.contains(word) && !word.chars().allMatch(Character::isDigit)) {
                words.add(word);
            }
        }
        return words;
    }

    /** Term counts of one text's content words (sorted, so ties break the same way every time). */
    static Map<String, Integer> counts(String text) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String word : content(text)) {
            counts.merge(word, 1, Integer::sum);
        }
        return counts;
    }

    /** In how many of {@code documents} each word occurs. */
    static Map<String, Integer> documentFrequencies(List<Map<String, Integer>> documents) {
        Map<String, Integer> frequencies = new TreeMap<>();
        for (Map<String, Integer> document : documents) {
            for (String word : document.keySet()) {
                frequencies.merge(word, 1, Integer::sum);
            }
        }
        return frequencies;
    }

    /** Smoothed inverse document frequency: {@code ln((1 + n) / (1 + df)) + 1}, always positive. */
    static double idf(int documents, int frequency) {
        return Math.log((1.0 + documents) / (1.0 + frequency)) + 1.0;
    }
}
