package io.tribune.transcription.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tribune.transcription.bench.Speech;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class TranscribeCommandTest {

    private static final String MODEL = System.getProperty("tribune.vosk.model");
    private static final Pattern CUE = Pattern.compile(
            "(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})\\n([^\\n]+)\\n");

    @TempDir
    Path dir;

    @Test
    void printsWebVttWithTheSpokenWordsOfA22kHzWavWithPauses() throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        List<String> sentences = Speech.sentences();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            Path wav = dir.resolve("s" + i + ".wav");
            Speech.speak(sentences.get(i), wav);
            parts.add(wav.toString());
        }
        // One file, 1.5 s of silence between the sentences (sox pads each part at its end).
        Path joined = dir.resolve("speech.wav");
        List<String> padded = new ArrayList<>(List.of("sox"));
        for (String part : parts) {
            Path p = Path.of(part.replace(".wav", "-p.wav"));
            Speech.run(List.of("sox", part, p.toString(), "pad", "0", "1.5"));
            padded.add(p.toString());
        }
        padded.add(joined.toString());
        Speech.run(padded);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = TranscribeCommand.run(List.of("--model", MODEL, joined.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), null);

        String vtt = out.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(vtt).startsWith("WEBVTT\n");
        Matcher cue = CUE.matcher(vtt);
        StringBuilder text = new StringBuilder();
        long previousEnd = -1;
        int cues = 0;
        while (cue.find()) {
            long start = millis(cue, 1);
            long end = millis(cue, 5);
            assertThat(end).isGreaterThan(start);
            assertThat(start).isGreaterThanOrEqualTo(previousEnd);
            previousEnd = end;
            text.append(cue.group(9)).append(' ');
            cues++;
        }
        assertThat(cues).as(vtt).isGreaterThanOrEqualTo(sentences.size() - 1);
        assertThat(Speech.wordOverlap(String.join(" ", sentences), text.toString())).as(vtt).isGreaterThanOrEqualTo(0.7);
    }

    @Test
    void refusesAFileThatIsNotAudio() throws IOException {
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "this is not a WAV file at all");
        assertThatThrownBy(() -> TranscribeCommand.run(List.of("--model", MODEL, junk.toString()),
                new PrintStream(new ByteArrayOutputStream()), null)).isInstanceOf(IOException.class)
                .hasMessageContaining("junk.wav");
    }

    @Test
    void refusesAMissingModel() {
        assertThatThrownBy(() -> TranscribeCommand.run(List.of("--model", dir.resolve("none").toString(), "x.wav"),
                new PrintStream(new ByteArrayOutputStream()), null)).isInstanceOf(IOException.class)
                .hasMessageContaining("no Vosk model");
    }

    private static long millis(Matcher m, int group) {
        return Long.parseLong(m.group(group)) * 3_600_000 + Long.parseLong(m.group(group + 1)) * 60_000
                + Long.parseLong(m.group(group + 2)) * 1000 + Long.parseLong(m.group(group + 3));
    }
}
