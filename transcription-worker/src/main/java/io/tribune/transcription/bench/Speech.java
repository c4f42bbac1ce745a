package io.tribune.transcription.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Speech for tests and {@code bench captions}: the fixture sentences spoken by espeak-ng, and the word-overlap share used to judge Vosk. */
public final class Speech {

    private Speech() {
    }

    /** The command-line tools the speech needs (espeak-ng, sox, ffmpeg) that are not on the PATH. */
    public static List<String> missingTools() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("espeak-ng", "sox", "ffmpeg")) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                found |= Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                missing.add(tool);
            }
        }
        return missing;
    }

    public static List<String> sentences() throws IOException {
        try (InputStream in = Speech.class.getResourceAsStream("/speech/sentences.txt")) {
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.strip());
                }
            }
            return lines;
        }
    }

    /** Speaks {@code text} into a WAV (espeak-ng's own 22.05 kHz mono). */
    public static void speak(String text, Path wav) throws IOException, InterruptedException {
        run(List.of("espeak-ng", "-v", "en-us", "-s", "150", "-w", wav.toString(), text));
    }

    /** Runs a command, failing on a non-zero exit or after 60 s. */
    public static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " timed out");
        }
        if (process.exitValue() != 0) {
            throw new IOException(command + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** The share of the reference's words (with repeats) that the hypothesis contains. */
    public static double wordOverlap(String reference, String hypothesis) {
        Map<String, Integer> available = new HashMap<>();
        for (String word : words(hypothesis)) {
            available.merge(word, 1, Integer::sum);
        }
        List<String> ref = words(reference);
        int found = 0;
        for (String word : ref) {
            Integer left = available.get(word);
            if (left != null && left > 0) {
                available.put(word, left - 1);
                found++;
            }
        }
        return ref.isEmpty() ? 1 : (double) found / ref.size();
    }

    public static List<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z']+")).filter(w -> !w.isEmpty()).toList();
    }

    /** Word error rate: word-level Levenshtein distance over the reference's length. */
    public static double wordErrorRate(String reference, String hypothesis) {
        List<String> r = words(reference);
        List<String> h = words(hypothesis);
        int[] previous = new int[h.size() + 1];
        for (int j = 0; j <= h.size(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= r.size(); i++) {
            int[] current = new int[h.size() + 1];
            current[0] = i;
            for (int j = 1; j <= h.size(); j++) {
                int substitution = previous[j - 1] + (r.get(i - 1).equals(h.get(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            previous = current;
        }
        return r.isEmpty() ? 0 : (double) previous[h.size()] / r.size();
    }
}
