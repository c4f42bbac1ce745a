package io.tribune.transcription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.Topics;
import io.tribune.events.TranscriptionEvents;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import io.tribune.transcription.bench.OpusSpeech;
import io.tribune.transcription.bench.Speech;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * On-demand transcription against real Kafka and S3: espeak-ng speech encoded to WebM/Opus by ffmpeg (what
 * recording-archive stores for an audio track) is uploaded to the bucket; a {@code transcription.requested} for it
 * comes back as final captions with the words and their wall-clock times, then {@code transcript.ready}. A garbage
 * file and a missing object make a {@code transcript.failed} naming both, and the worker goes on. A track that
 * started later than another has its phrases at its own start plus their offsets.
 */
@ExtendWith(PlatformExtension.class)
@Timeout(300)
class RecordingTranscriptionIT {

    /** A phrase's caption starts this close to where its speech starts (the VAD's pre-roll is 300 ms). */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    @TempDir
    Path dir;

    private PlatformUrls urls;
    private String bucket;
    private S3Client s3;
    private KafkaProducer<String, byte[]> producer;
    private DropwizardTestSupport<TranscriptionWorkerConfiguration> worker;

    @BeforeEach
    void start() throws Exception {
        urls = PlatformExtension.platform().urls();
        bucket = "transcribe-it-" + UUID.randomUUID().toString().substring(0, 8);
        s3 = S3Client.builder().region(Region.of(urls.s3Region())).forcePathStyle(true)
                .endpointOverride(URI.create(urls.s3Endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(urls.s3AccessKey(),
                        urls.s3SecretKey())))
                .build();
        s3.createBucket(b -> b.bucket(bucket));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        worker = new DropwizardTestSupport<>(TranscriptionWorkerApplication.class,
                ResourceHelpers.resourceFilePath("transcription-worker-test.yml"),
                ConfigOverride.config("kafka.bootstrapServers", urls.kafkaBootstrap()),
                ConfigOverride.config("kafka.group", "transcribe-live-" + UUID.randomUUID().toString().substring(0, 8)),
                ConfigOverride.config("captions.modelPath", System.getProperty("tribune.vosk.model")),
                ConfigOverride.config("recordings.enabled", "true"),
                ConfigOverride.config("recordings.group", "transcribe-files-" + UUID.randomUUID().toString()
                        .substring(0, 8)),
                ConfigOverride.config("recordings.bucket", bucket),
                ConfigOverride.config("recordings.endpoint", urls.s3Endpoint()),
                ConfigOverride.config("recordings.region", urls.s3Region()),
                ConfigOverride.config("recordings.accessKey", urls.s3AccessKey()),
                ConfigOverride.config("recordings.secretKey", urls.s3SecretKey()));
        worker.before();
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.after();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aRecordedTrackBecomesFinalCaptionsAtItsWallClockTimesAndBadFilesFailTheRecordingOnly() throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        OpusSpeech speech = OpusSpeech.make(dir);
        Path webm = dir.resolve("track.webm");
        Speech.run(List.of("ffmpeg", "-y", "-loglevel", "error", "-i", dir.resolve("speech.wav").toString(),
                "-ar", "48000", "-ac", "1", "-c:a", "libopus", "-b:a", "32k", webm.toString()));
        String meeting = "m-" + UUID.randomUUID();
        String goodKey = "recordings/r-good/t-voice.webm";
        String garbageKey = "recordings/r-bad/t-noise.webm";
        s3.putObject(b -> b.bucket(bucket).key(goodKey).contentType("audio/webm"), webm);
        // Text under an audio name: FFmpeg finds no format in it (random bytes may pass for MP3 frames).
        s3.putObject(b -> b.bucket(bucket).key(garbageKey).contentType("audio/webm"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("this is not a WebM file, nor audio at all"));
        Instant trackStart = Instant.parse("2026-11-27T09:00:00Z");
        TranscriptionWorkerApplication app = worker.getApplication();

        try (Results results = new Results(urls.kafkaBootstrap(), meeting)) {
            // A garbage file and a missing object first: the recording fails, naming both; the worker goes on.
            send(new TranscriptionEvents.Requested(meeting, "r-bad", "u-1", List.of(
                    new TranscriptionEvents.AudioFile(garbageKey, "t-noise", "p-2", "Bob", trackStart),
                    new TranscriptionEvents.AudioFile("recordings/r-bad/missing.webm", "t-gone", "p-3", "Cy",
                            trackStart)), Instant.now()));
            await(() -> results.failed("r-bad") != null, 120, "transcript.failed for r-bad");
            assertThat(results.failed("r-bad").reason()).contains(garbageKey).contains("missing.webm")
                    .contains("no such object");
            assertThat(app.fileMetrics().filesFailed()).isEqualTo(2);
            assertThat(results.ready("r-bad")).isNull();

            // The speech: finals with the words, at the track's start plus their offsets, then transcript.ready.
            send(new TranscriptionEvents.Requested(meeting, "r-good", "u-1", List.of(
                    new TranscriptionEvents.AudioFile(goodKey, "t-voice", "p-1", "Ada", trackStart)), Instant.now()));
            await(() -> results.ready("r-good") != null, 180, "transcript.ready for r-good");
            List<CaptionEvents.Caption> finals = results.captions("r-good-");
            String reference = String.join(" ", speech.sentences());
            String text = String.join(" ", finals.stream().map(CaptionEvents.Caption::text).toList());
            System.out.println("on-demand transcript: " + text);
            assertThat(Speech.wordOverlap(reference, text)).as("finals: %s", text).isGreaterThanOrEqualTo(0.7);
            assertThat(results.ready("r-good").segments()).isEqualTo(finals.size());
            assertThat(finals).allSatisfy(c -> {
                assertThat(c.isFinal()).isTrue();
                assertThat(c.participantId()).isEqualTo("p-1");
                assertThat(c.displayName()).isEqualTo("Ada");
                assertThat(c.trackId()).isEqualTo("t-voice");
                assertThat(c.start()).isEqualTo(trackStart.plusMillis(c.startMillis()));
                assertThat(c.end()).isAfterOrEqualTo(c.start());
            });
            assertThat(finals.stream().map(CaptionEvents.Caption::phraseId).toList())
                    .startsWith("r-good-t-voice-1").doesNotHaveDuplicates();
            for (int p = 0; p < speech.sentences().size(); p++) {
                Instant spoken = trackStart.plusMillis(speech.phraseStarts().get(p));
                assertThat(finals).as("a final starting near %s ('%s')", spoken, speech.sentences().get(p))
                        .anySatisfy(c -> assertThat(Math.abs(Duration.between(spoken, c.start()).toMillis()))
                                .isLessThanOrEqualTo(START_TOLERANCE_MILLIS));
            }

            // Redelivered (or asked again): the same phrase ids and texts, so the api-server's upsert keeps one each.
            int before = results.all.size();
            send(new TranscriptionEvents.Requested(meeting, "r-good", "u-1", List.of(
                    new TranscriptionEvents.AudioFile(goodKey, "t-voice", "p-1", "Ada", trackStart)), Instant.now()));
            await(() -> results.all.stream().skip(before)
                    .anyMatch(d -> d instanceof CaptionEvents.TranscriptReady), 180, "the second transcript.ready");
            List<String> again = results.all.stream().skip(before).filter(d -> d instanceof CaptionEvents.Caption)
                    .map(d -> ((CaptionEvents.Caption) d).phraseId()).toList();
            assertThat(again).isEqualTo(finals.stream().map(CaptionEvents.Caption::phraseId).toList());

            // Two tracks, the second joined 7.5 s after the first: each one's phrases at its own start plus their
            // offsets in its file, so the late joiner's words land when they were said, not 7.5 s early.
            Instant lateStart = trackStart.plusMillis(7_500);
            send(new TranscriptionEvents.Requested(meeting, "r-late", "u-1", List.of(
                    new TranscriptionEvents.AudioFile(goodKey, "t-first", "p-1", "Ada", trackStart),
                    new TranscriptionEvents.AudioFile(goodKey, "t-late", "p-4", "Dee", lateStart)), Instant.now()));
            await(() -> results.ready("r-late") != null, 180, "transcript.ready for r-late");
            List<CaptionEvents.Caption> first = results.captions("r-late-t-first-");
            List<CaptionEvents.Caption> late = results.captions("r-late-t-late-");
            assertThat(first).isNotEmpty();
            assertThat(late).isNotEmpty().allSatisfy(c -> {
                assertThat(c.participantId()).isEqualTo("p-4");
                assertThat(c.start()).isEqualTo(lateStart.plusMillis(c.startMillis()));
                assertThat(c.start()).isAfterOrEqualTo(lateStart);
            });
            for (int p = 0; p < speech.sentences().size(); p++) {
                long offset = speech.phraseStarts().get(p);
                assertThat(first).as("t-first: a final near %s ms", offset).anySatisfy(c -> assertThat(Math.abs(
                        Duration.between(trackStart.plusMillis(offset), c.start()).toMillis()))
                        .isLessThanOrEqualTo(START_TOLERANCE_MILLIS));
                assertThat(late).as("t-late: a final near 7500 + %s ms", offset).anySatisfy(c -> assertThat(Math.abs(
                        Duration.between(lateStart.plusMillis(offset), c.start()).toMillis()))
                        .isLessThanOrEqualTo(START_TOLERANCE_MILLIS));
            }
            assertThat(app.requests().isRunning()).isTrue();
        }
    }

    private void send(TranscriptionEvents.Requested request) throws Exception {
        Event event = Event.of(request, Instant.now());
        producer.send(new ProducerRecord<>(Topics.TRANSCRIPTIONS, event.key(), EventCodec.encode(event)))
                .get(30, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("no %s within %d s", what, seconds).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Everything on {@code tribune.captions} for one meeting, read from the end in a thread of its own. */
    static final class Results implements AutoCloseable {

        final List<EventData> all = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Results(String bootstrap, String meeting) {
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(),
                    new ByteArrayDeserializer());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(Topics.CAPTIONS, 3, (short) 1))).all().get(30,
                        TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(e.getCause());
                }
            } catch (TimeoutException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(Topics.CAPTIONS, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(Topics.CAPTIONS, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                            if (meeting.equals(record.key())) {
                                all.add(EventCodec.decode(record.value()).data());
                            }
                        }
                    }
                }
            }, "results-reader");
            thread.setDaemon(true);
            thread.start();
        }

        List<CaptionEvents.Caption> captions(String phrasePrefix) {
            List<CaptionEvents.Caption> found = new ArrayList<>();
            for (EventData data : all) {
                if (data instanceof CaptionEvents.Caption c && c.phraseId().startsWith(phrasePrefix)
                        && found.stream().noneMatch(f -> f.phraseId().equals(c.phraseId()))) {
                    found.add(c);
                }
            }
            return found;
        }

        CaptionEvents.TranscriptReady ready(String recordingId) {
            return all.stream().filter(d -> d instanceof CaptionEvents.TranscriptReady r
                    && recordingId.equals(r.recordingId())).map(d -> (CaptionEvents.TranscriptReady) d)
                    .findFirst().orElse(null);
        }

        CaptionEvents.TranscriptFailed failed(String recordingId) {
            return all.stream().filter(d -> d instanceof CaptionEvents.TranscriptFailed f
                    && recordingId.equals(f.recordingId())).map(d -> (CaptionEvents.TranscriptFailed) d)
                    .findFirst().orElse(null);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
