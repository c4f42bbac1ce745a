package io.tribune.transcription.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codahale.metrics.MetricRegistry;
import io.tribune.events.CaptionEvents;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import io.tribune.transcription.bench.OpusSpeech;
import io.tribune.transcription.bench.Speech;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The per-track pipeline without Kafka: Opus RTP in (reordered on the way), captions out. */
@Timeout(240)
class TrackTranscriberTest {

    private static SpeechModel model;

    @BeforeAll
    static void loadModel() throws Exception {
        model = SpeechModel.load(Path.of(System.getProperty("tribune.vosk.model")));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void transcribesReorderedOpusPacketsWithGarbageAmongThem(@TempDir Path dir) throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        OpusSpeech speech = OpusSpeech.make(dir);
        List<CaptionEvents.Caption> captions = Collections.synchronizedList(new ArrayList<>());
        TranscriptionMetrics metrics = new TranscriptionMetrics(new MetricRegistry());
        MediaEvents.AudioTrackStarted started = new MediaEvents.AudioTrackStarted("m-1", "t-1", "p-1", "Ada", 1,
                "opus", 48_000, 111, Instant.now(), null);
        long arrival = System.currentTimeMillis() * 1000;
        try (TrackTranscriber track = new TrackTranscriber(started, model, captions::add, Clock.systemUTC(),
                TranscriberSettings.defaults(), metrics)) {
            List<RtpRecord> packets = new ArrayList<>();
            for (int i = 0; i < speech.packets().size(); i++) {
                packets.add(new RtpRecord(arrival, 1, 111, (65_000 + i) & 0xFFFF, speech.timestamps().get(i),
                        false, speech.packets().get(i)));
            }
            // Swap neighbours now and then: the reorder buffer puts them back (sequence numbers also wrap).
            for (int i = 10; i + 1 < packets.size(); i += 37) {
                Collections.swap(packets, i, i + 1);
            }
            for (int i = 0; i < packets.size(); i++) {
                track.onPacket(packets.get(i));
            }
        }
        String text = String.join(" ", captions.stream().filter(CaptionEvents.Caption::isFinal)
                .map(CaptionEvents.Caption::text).toList());
        assertThat(Speech.wordOverlap(String.join(" ", speech.sentences()), text)).as(text)
                .isGreaterThanOrEqualTo(0.7);
        assertThat(captions.stream().filter(CaptionEvents.Caption::isFinal).count())
                .isGreaterThanOrEqualTo(speech.sentences().size() - 1);
        assertThat(metrics.silentFrames.getCount()).as("silence skipped").isGreaterThan(100);
    }

    @Test
    void sendsNoPartialsButEveryFinalWhenTheAudioIsOld(@TempDir Path dir) throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        OpusSpeech speech = OpusSpeech.make(dir);
        List<CaptionEvents.Caption> captions = Collections.synchronizedList(new ArrayList<>());
        MediaEvents.AudioTrackStarted started = new MediaEvents.AudioTrackStarted("m-1", "t-1", "p-1", "Ada", 1,
                "opus", 48_000, 111, Instant.now(), null);
        long minuteAgo = (System.currentTimeMillis() - 60_000) * 1000;
        try (TrackTranscriber track = new TrackTranscriber(started, model, captions::add, Clock.systemUTC(),
                TranscriberSettings.defaults(), new TranscriptionMetrics(new MetricRegistry()))) {
            for (int i = 0; i < speech.packets().size(); i++) {
                track.onPacket(new RtpRecord(minuteAgo + i * 20_000L, 1, 111, i, speech.timestamps().get(i), false,
                        speech.packets().get(i)));
            }
        }
        assertThat(captions).isNotEmpty().allMatch(CaptionEvents.Caption::isFinal);
    }
}
