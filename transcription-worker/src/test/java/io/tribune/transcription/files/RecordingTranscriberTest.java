package io.tribune.transcription.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codahale.metrics.MetricRegistry;
import io.tribune.events.CaptionEvents;
import io.tribune.events.EventData;
import io.tribune.events.TranscriptionEvents;
import io.tribune.transcription.bench.Speech;
import io.tribune.transcription.cli.FileTranscriber;
import io.tribune.transcription.core.SpeechModel;
import io.tribune.transcription.core.TranscriberSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The job behind on-demand transcription, without Kafka: a bucket of files in memory, the real model and FFmpeg.
 * What comes out for speech (phrase ids, wall-clock times, the speaker, then transcript.ready) and for bad files
 * (one transcript.failed naming each, the good file's captions still out).
 */
@Timeout(180)
class RecordingTranscriberTest {

    private static final Instant START = Instant.parse("2026-11-27T09:00:00Z");
    private static SpeechModel model;

    @TempDir
    Path dir;

    private final Map<String, Path> bucket = new HashMap<>();
    private final MetricRegistry registry = new MetricRegistry();
    private final FileMetrics metrics = new FileMetrics(registry);
    private final List<EventData> published = new ArrayList<>();

    @BeforeAll
    static void loadModel() throws IOException {
        model = SpeechModel.load(Path.of(System.getProperty("tribune.vosk.model")));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private RecordingTranscriber transcriber(long maxBytes) {
        return new RecordingTranscriber(new FakeS3(bucket), "recordings", maxBytes,
                new FileTranscriber(model, TranscriberSettings.defaults()), "en", metrics);
    }

    private static TranscriptionEvents.Requested request(String... keys) {
        List<TranscriptionEvents.AudioFile> files = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            files.add(new TranscriptionEvents.AudioFile(keys[i], "t" + i, "p" + i, "Speaker " + i, START));
        }
        return new TranscriptionEvents.Requested("m-1", "r-1", "u-1", files, START.plusSeconds(3600));
    }

    private Path speechWebm() throws Exception {
        Path wav = dir.resolve("s.wav");
        Path padded = dir.resolve("s-padded.wav");
        Speech.speak("please share your screen with the team", wav);
        Speech.run(List.of("sox", wav.toString(), padded.toString(), "pad", "1", "1"));
        Path webm = dir.resolve("s.webm");
        Speech.run(List.of("ffmpeg", "-y", "-loglevel", "error", "-i", padded.toString(), "-ar", "48000", "-ac",
                "1", "-c:a", "libopus", "-b:a", "32k", webm.toString()));
        return webm;
    }

    @Test
    void speechInAStoredWebmBecomesFinalsAtTheTracksTimesThenTranscriptReady() throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        bucket.put("recordings/r-1/t0.webm", speechWebm());

        transcriber(1 << 30).transcribe(request("recordings/r-1/t0.webm"), published::add);

        List<CaptionEvents.Caption> captions = published.stream().filter(e -> e instanceof CaptionEvents.Caption)
                .map(e -> (CaptionEvents.Caption) e).toList();
        assertThat(captions).isNotEmpty();
        String text = String.join(" ", captions.stream().map(CaptionEvents.Caption::text).toList());
        assertThat(Speech.wordOverlap("please share your screen with the team", text)).as(text)
                .isGreaterThanOrEqualTo(0.7);
        for (int i = 0; i < captions.size(); i++) {
            CaptionEvents.Caption c = captions.get(i);
            assertThat(c.phraseId()).isEqualTo("r-1-t0-" + (i + 1));
            assertThat(c.isFinal()).isTrue();
            assertThat(c.meetingId()).isEqualTo("m-1");
            assertThat(c.displayName()).isEqualTo("Speaker 0");
            assertThat(c.start()).isEqualTo(START.plusMillis(c.startMillis()));
            assertThat(c.end()).isEqualTo(START.plusMillis(c.endMillis()));
        }
        // The speech starts after 1 s of padding (the VAD's pre-roll is 300 ms).
        assertThat(captions.get(0).startMillis()).isBetween(500L, 1_500L);
        assertThat(published.get(published.size() - 1)).isEqualTo(
                new CaptionEvents.TranscriptReady("m-1", "r-1", null, captions.size(), "en"));
        assertThat(metrics.recordingsTranscribed()).isEqualTo(1);
        assertThat(registry.getGauges().get(FileMetrics.PREFIX + "progress_seconds").getValue()).isEqualTo(0L);
    }

    @Test
    void garbageMissingAndOversizedFilesFailTheRecordingNamingEachWhileTheGoodFileIsStillTranscribed()
            throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        Path good = speechWebm();
        bucket.put("good.webm", good);
        long limit = Files.size(good) + 100;
        Path garbage = dir.resolve("garbage.webm");
        Files.writeString(garbage, "this is not a WebM file, nor audio of any kind");
        bucket.put("garbage.webm", garbage);
        Path big = dir.resolve("big.webm");
        Files.write(big, new byte[(int) limit + 1]);
        bucket.put("big.webm", big);

        transcriber(limit).transcribe(request("good.webm", "garbage.webm", "missing.webm", "big.webm"),
                published::add);

        assertThat(published.stream().filter(e -> e instanceof CaptionEvents.Caption)).isNotEmpty();
        EventData result = published.get(published.size() - 1);
        assertThat(result).isInstanceOf(CaptionEvents.TranscriptFailed.class);
        String reason = ((CaptionEvents.TranscriptFailed) result).reason();
        assertThat(reason).contains("garbage.webm: cannot read").contains("missing.webm: no such object")
                .contains("big.webm: larger than " + limit + " bytes").doesNotContain("good.webm")
                .doesNotContain("tribune-transcribe-");
        assertThat(metrics.filesFailed()).isEqualTo(3);
        assertThat(metrics.recordingsFailed()).isEqualTo(1);
    }

    @Test
    void aStopCancelsTheJobWithoutAResult() throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        bucket.put("good.webm", speechWebm());

        assertThatThrownBy(() -> transcriber(1 << 30).transcribe(request("good.webm"), published::add, () -> true))
                .isInstanceOf(CancellationException.class);
        assertThat(published).noneMatch(e -> e instanceof CaptionEvents.TranscriptReady
                || e instanceof CaptionEvents.TranscriptFailed);
    }

    /** A bucket in memory: HEAD and GET-to-a-file, what the transcriber uses. */
    private record FakeS3(Map<String, Path> objects) implements S3Client {

        @Override
        public HeadObjectResponse headObject(HeadObjectRequest request) {
            Path file = objects.get(request.key());
            if (file == null) {
                throw NoSuchKeyException.builder().statusCode(404).message("Not Found").build();
            }
            try {
                return HeadObjectResponse.builder().contentLength(Files.size(file)).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public GetObjectResponse getObject(GetObjectRequest request, Path destination) {
            Path file = objects.get(request.key());
            if (file == null) {
                throw NoSuchKeyException.builder().statusCode(404).message("Not Found").build();
            }
            try {
                Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                return GetObjectResponse.builder().contentLength(Files.size(file)).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }
}
