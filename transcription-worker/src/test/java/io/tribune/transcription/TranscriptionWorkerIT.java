package io.tribune.transcription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.tribune.common.kafka.DeadLetters;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import io.tribune.transcription.bench.OpusSpeech;
import io.tribune.transcription.bench.Speech;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
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

/**
 * The worker against real Kafka: espeak-ng speech, encoded to Opus by ffmpeg, streamed in real time as RTP records
 * through {@code tribune.media.audio}, comes back as captions on {@code tribune.captions}; garbage beside it is
 * counted or dead-lettered and changes nothing.
 */
@ExtendWith(PlatformExtension.class)
@Timeout(300)
class TranscriptionWorkerIT {

    /** From the end of a phrase (as sent) to its final caption read back from Kafka. */
    private static final long MAX_FINAL_LATENCY_MILLIS = 2_500;
    /** Finals unchanged this long after the speech ended: the recognizer is done (a final comes within 2.5 s). */
    private static final long SETTLED_NANOS = TimeUnit.SECONDS.toNanos(5);

    @TempDir
    Path dir;

    private PlatformUrls urls;
    private String group;
    private DropwizardTestSupport<TranscriptionWorkerConfiguration> worker;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void start() throws Exception {
        urls = PlatformExtension.platform().urls();
        group = "transcription-it-" + UUID.randomUUID().toString().substring(0, 8);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        worker = startWorker(group);
    }

    /** A worker of consumer group {@code group}, returned once it has its partitions. */
    private DropwizardTestSupport<TranscriptionWorkerConfiguration> startWorker(String group) throws Exception {
        DropwizardTestSupport<TranscriptionWorkerConfiguration> started = new DropwizardTestSupport<>(
                TranscriptionWorkerApplication.class,
                ResourceHelpers.resourceFilePath("transcription-worker-test.yml"),
                ConfigOverride.config("kafka.bootstrapServers", urls.kafkaBootstrap()),
                ConfigOverride.config("kafka.group", group),
                ConfigOverride.config("captions.modelPath", System.getProperty("tribune.vosk.model")));
        started.before();
        TranscriptionWorkerApplication app = started.getApplication();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!app.consumers().get(0).hasAssignment()) {
            assertThat(System.nanoTime()).as("the worker got no partitions in 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        return started;
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.after();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void speechStreamedInRealTimeBecomesTimelyFinalCaptionsWhileGarbageIsSkipped() throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        OpusSpeech speech = OpusSpeech.make(dir);
        String meeting = "m-" + UUID.randomUUID();
        Instant now = Instant.now();
        TranscriptionWorkerApplication app = worker.getApplication();

        try (CaptionReader captions = new CaptionReader(urls.kafkaBootstrap(), meeting)) {
            publish(new MediaEvents.AudioTrackStarted(meeting, "t-voice", "p-1", "Ada", 1234, "opus", 48_000, 111,
                    now, null, true));
            publish(new MediaEvents.AudioTrackStarted(meeting, "t-garbage", "p-2", "Bob", 999, "opus", 48_000, 111,
                    now, null, true));
            // Poison beside the speech: records that are neither RTP nor an event, a truncated RTP record, a track
            // in a codec the worker does not decode, and payloads that are not Opus (invalid code-3 packets).
            send(meeting + ":t-garbage", "not a record at all".getBytes(StandardCharsets.UTF_8));
            send(meeting + ":t-garbage", new byte[] {1, 0, 111});
            publish(new MediaEvents.AudioTrackStarted(meeting, "t-pcmu", "p-3", "Cy", 5, "PCMU", 8_000, 0, now,
                    null, true));
            long decodeErrorsBefore = app.metrics().decodeErrors();

            long t0 = System.nanoTime();
            List<Long> phraseEndSent = new ArrayList<>();
            int phrase = 0;
            for (int i = 0; i < speech.packets().size(); i++) {
                long ts = speech.timestamps().get(i);
                long due = t0 + TimeUnit.MICROSECONDS.toNanos(ts * 1000 / 48);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long sentAt = System.nanoTime();
                long arrival = System.currentTimeMillis() * 1000;
                producer.send(new ProducerRecord<>(Topics.MEDIA_AUDIO, meeting + ":t-voice",
                        new RtpRecord(arrival, 1234, 111, (1000 + i) & 0xFFFF, (5000 + ts) & 0xFFFF_FFFFL, false,
                                speech.packets().get(i)).encode()));
                if (i % 50 == 0) {
                    producer.send(new ProducerRecord<>(Topics.MEDIA_AUDIO, meeting + ":t-garbage",
                            new RtpRecord(arrival, 999, 111, i & 0xFFFF, i * 960L, false, new byte[] {3, 0})
                                    .encode()));
                }
                while (phrase < speech.phraseEnds().size() && ts / 48 >= speech.phraseEnds().get(phrase)) {
                    phraseEndSent.add(sentAt);
                    phrase++;
                }
            }
            publish(new MediaEvents.AudioTrackEnded(meeting, "t-voice", Instant.now(), null));

            String reference = String.join(" ", speech.sentences());
            awaitOverlap(captions, reference, 0.9);
            List<CaptionReader.Received> finals = captions.finals();
            String text = captions.finalText();
            assertThat(Speech.wordOverlap(reference, text)).as("finals: %s", text).isGreaterThanOrEqualTo(0.7);
            assertThat(finals).allSatisfy(c -> {
                assertThat(c.caption().participantId()).isEqualTo("p-1");
                assertThat(c.caption().displayName()).isEqualTo("Ada");
                assertThat(c.caption().endMillis()).isGreaterThanOrEqualTo(c.caption().startMillis());
            });
            assertThat(captions.partials()).as("partials while speaking").isNotEmpty();

            // Each phrase's last final, against the moment its last voiced packet was sent.
            List<String> late = new ArrayList<>();
            for (int p = 0; p < phraseEndSent.size(); p++) {
                long start = speech.phraseStarts().get(p);
                long end = speech.phraseEnds().get(p);
                long lastArrival = -1;
                for (CaptionReader.Received c : finals) {
                    if (c.caption().startMillis() < end + 300 && c.caption().endMillis() > start - 300) {
                        lastArrival = Math.max(lastArrival, c.receivedNanos());
                    }
                }
                long latency = lastArrival < 0 ? Long.MAX_VALUE
                        : TimeUnit.NANOSECONDS.toMillis(lastArrival - phraseEndSent.get(p));
                System.out.printf("phrase %d: final %s ms after its end%n", p,
                        latency == Long.MAX_VALUE ? "never" : Long.toString(latency));
                if (latency > MAX_FINAL_LATENCY_MILLIS) {
                    late.add("phrase " + p + " '" + speech.sentences().get(p) + "': "
                            + (lastArrival < 0 ? "no final" : latency + " ms"));
                }
            }
            assertThat(late).as("finals later than %d ms after their phrase; all finals: %s",
                    MAX_FINAL_LATENCY_MILLIS, finals).isEmpty();

            assertThat(app.metrics().decodeErrors() - decodeErrorsBefore).as("garbage payloads counted")
                    .isGreaterThan(0);
            List<ConsumerRecord<String, byte[]>> letters = deadLetters(meeting);
            assertThat(letters).extracting(r -> new String(r.headers().lastHeader(DeadLetters.REASON).value(),
                    StandardCharsets.UTF_8)).anySatisfy(reason -> assertThat(reason).startsWith("undecodable"))
                    .anySatisfy(reason -> assertThat(reason).startsWith("malformed RTP record"))
                    .anySatisfy(reason -> assertThat(reason).contains("PCMU is not supported"));
            assertThat(app.consumers().get(0).isRunning()).isTrue();
        }
    }

    @Test
    void aTrackIsTranscribedOnlyWhileItsCaptionsAreOn() throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        OpusSpeech speech = OpusSpeech.make(dir);
        String meeting = "m-" + UUID.randomUUID();
        TranscriptionWorkerApplication app = worker.getApplication();
        long captionsOffBefore = app.metrics().captionsOffPackets();
        // Captions switch on in the pause after the second phrase.
        long switchAtMillis = (speech.phraseEnds().get(1) + speech.phraseStarts().get(2)) / 2;
        AtomicLong switchedAt = new AtomicLong();

        try (CaptionReader captions = new CaptionReader(urls.kafkaBootstrap(), meeting)) {
            publish(new MediaEvents.AudioTrackStarted(meeting, "t-off", "p-1", "Ada", 11, "opus", 48_000, 111,
                    Instant.now(), "r-1", false));
            publish(new MediaEvents.AudioTrackStarted(meeting, "t-later", "p-2", "Bob", 22, "opus", 48_000, 111,
                    Instant.now(), null, false));
            List<Long> phraseEndSent = stream(speech, List.of(meeting + ":t-off", meeting + ":t-later"), 0,
                    speech.packets().size(), ts -> {
                        if (switchedAt.get() == 0 && ts / 48 >= switchAtMillis) {
                            switchedAt.set(System.currentTimeMillis());
                            publishAsync(new MediaEvents.AudioCaptions(meeting, "t-later", true, Instant.now()));
                        }
                    });
            publish(new MediaEvents.AudioTrackEnded(meeting, "t-off", Instant.now(), "r-1"));
            publish(new MediaEvents.AudioTrackEnded(meeting, "t-later", Instant.now(), null));

            String reference = String.join(" ", speech.sentences().subList(2, speech.sentences().size()));
            awaitOverlap(captions, reference, 0.9);
            assertThat(captions.received).as("captions of the track whose captions stayed off")
                    .noneMatch(c -> c.caption().trackId().equals("t-off"));
            List<CaptionReader.Received> finals = captions.finals();
            assertThat(Speech.wordOverlap(reference, captions.finalText())).as("finals: %s", finals)
                    .isGreaterThanOrEqualTo(0.7);
            assertThat(captions.received).as("nothing from before the switch").allSatisfy(c ->
                    assertThat(c.caption().start().toEpochMilli()).isGreaterThanOrEqualTo(switchedAt.get()));
            assertThat(finals).allSatisfy(c -> assertThat(c.caption().phraseId()).startsWith("t-later-"));
            assertThat(late(speech, finals, phraseEndSent, 2)).isEmpty();
            // The track with captions off was never decoded: its packets only counted.
            assertThat(app.metrics().captionsOffPackets() - captionsOffBefore)
                    .isGreaterThanOrEqualTo(speech.packets().size());
        }
    }

    @Test
    void aRestartedWorkerResumesTheTracksThatWereOpen() throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        OpusSpeech speech = OpusSpeech.make(dir);
        String meeting = "m-" + UUID.randomUUID();
        String key = meeting + ":t-resume";
        int cut = packetAt(speech, (speech.phraseEnds().get(1) + speech.phraseStarts().get(2)) / 2);

        try (CaptionReader captions = new CaptionReader(urls.kafkaBootstrap(), meeting)) {
            publish(new MediaEvents.AudioTrackStarted(meeting, "t-resume", "p-1", "Ada", 33, "opus", 48_000, 111,
                    Instant.now(), null, true));
            long streamStart = System.nanoTime();
            stream(speech, List.of(key), 0, cut, ts -> { });
            String before = String.join(" ", speech.sentences().subList(0, 2));
            awaitOverlap(captions, before, 0.7);
            // Restart: same group, so it goes on from its committed offset, after the track's Started event.
            worker.after();
            worker = startWorker(group);
            TranscriptionWorkerApplication app = worker.getApplication();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (app.consumers().get(0).lookbacksPending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // This track, and any other test's track left open with captions on.
            assertThat(app.metrics().tracksResumed()).as("tracks resumed by the look-back").isGreaterThanOrEqualTo(1);
            int finalsBefore = captions.finals().size();
            // The track was silent meanwhile: its timeline (RTP timestamps, the SFU's clock) moved on with the wall
            // clock, as a real track's would.
            long pause = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - streamStart)
                    - speech.timestamps().get(cut) / 48;
            List<Long> phraseEndSent = stream(speech, List.of(key), cut, speech.packets().size(), pause, ts -> { });
            publish(new MediaEvents.AudioTrackEnded(meeting, "t-resume", Instant.now(), null));

            String after = String.join(" ", speech.sentences().subList(2, speech.sentences().size()));
            awaitOverlap(captions, before + " " + after, 0.9);
            List<CaptionReader.Received> resumed = captions.finals().subList(finalsBefore, captions.finals().size());
            String resumedText = String.join(" ", resumed.stream().map(r -> r.caption().text()).toList());
            assertThat(Speech.wordOverlap(after, resumedText)).as("finals after the restart: %s", resumed)
                    .isGreaterThanOrEqualTo(0.7);
            assertThat(resumed).allSatisfy(c -> {
                assertThat(c.caption().displayName()).isEqualTo("Ada");
                assertThat(c.caption().phraseId()).matches("t-resume-\\d+-\\d+");
            });
            assertThat(captions.finals().stream().map(c -> c.caption().phraseId())).doesNotHaveDuplicates();
            assertThat(late(speech, resumed, phraseEndSent, 2, pause)).isEmpty();
        }
    }

    @Test
    void aNewConsumerGroupTranscribesATrackThatStartedBeforeItFromItsBeginning() throws Exception {
        assumeTrue(Speech.missingTools().isEmpty(), "needs " + Speech.missingTools());
        OpusSpeech speech = OpusSpeech.make(dir);
        String meeting = "m-" + UUID.randomUUID();
        String key = meeting + ":t-early";
        int cut = packetAt(speech, (speech.phraseEnds().get(0) + speech.phraseStarts().get(1)) / 2);

        try (CaptionReader captions = new CaptionReader(urls.kafkaBootstrap(), meeting)) {
            worker.after();
            publish(new MediaEvents.AudioTrackStarted(meeting, "t-early", "p-1", "Ada", 44, "opus", 48_000, 111,
                    Instant.now(), null, true));
            stream(speech, List.of(key), 0, cut, ts -> { });
            // A group that never ran: it starts newGroupRewind (30 s) back, before the track's Started event.
            worker = startWorker("transcription-it-new-" + UUID.randomUUID().toString().substring(0, 8));
            stream(speech, List.of(key), cut, speech.packets().size(), ts -> { });
            publish(new MediaEvents.AudioTrackEnded(meeting, "t-early", Instant.now(), null));

            String reference = String.join(" ", speech.sentences());
            awaitOverlap(captions, reference, 0.9);
            List<CaptionReader.Received> finals = captions.finals();
            assertThat(Speech.wordOverlap(reference, captions.finalText())).as("finals: %s", finals)
                    .isGreaterThanOrEqualTo(0.7);
            assertThat(finals).as("a final of the first phrase, spoken before the group existed")
                    .anySatisfy(c -> assertThat(c.caption().startMillis())
                            .isLessThan(speech.phraseEnds().get(0) + 300));
            assertThat(finals).allSatisfy(c -> assertThat(c.caption().phraseId()).matches("t-early-\\d+"));
        }
    }

    /**
     * Streams packets {@code [from, to)} of the speech in real time (from now) as RTP records of each key, calling
     * {@code beforePacket} with each packet's 48 kHz timestamp first; returns when each phrase ending in that range
     * was sent (nanoTime), indexed from its first phrase.
     */
    private List<Long> stream(OpusSpeech speech, List<String> keys, int from, int to, LongConsumer beforePacket)
            throws Exception {
        return stream(speech, keys, from, to, 0, beforePacket);
    }

    /** As above, with the RTP timestamps moved on by {@code shiftMillis} (a pause in the track). */
    private List<Long> stream(OpusSpeech speech, List<String> keys, int from, int to, long shiftMillis,
                              LongConsumer beforePacket) throws Exception {
        long t0 = System.nanoTime() - TimeUnit.MICROSECONDS.toNanos(speech.timestamps().get(from) * 1000 / 48);
        List<Long> phraseEndSent = new ArrayList<>();
        int phrase = 0;
        while (phrase < speech.phraseEnds().size()
                && speech.phraseEnds().get(phrase) <= speech.timestamps().get(from) / 48) {
            phraseEndSent.add(-1L);
            phrase++;
        }
        for (int i = from; i < to; i++) {
            long ts = speech.timestamps().get(i);
            long wait = t0 + TimeUnit.MICROSECONDS.toNanos(ts * 1000 / 48) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            beforePacket.accept(ts);
            long sentAt = System.nanoTime();
            long arrival = System.currentTimeMillis() * 1000;
            for (String key : keys) {
                producer.send(new ProducerRecord<>(Topics.MEDIA_AUDIO, key, new RtpRecord(arrival, 1234, 111,
                        (1000 + i) & 0xFFFF, (5000 + ts + shiftMillis * 48) & 0xFFFF_FFFFL, false,
                        speech.packets().get(i)).encode()));
            }
            while (phrase < speech.phraseEnds().size() && ts / 48 >= speech.phraseEnds().get(phrase)) {
                phraseEndSent.add(sentAt);
                phrase++;
            }
        }
        producer.flush();
        return phraseEndSent;
    }

    /** The index of the first packet at or after {@code millis} into the speech. */
    private static int packetAt(OpusSpeech speech, long millis) {
        for (int i = 0; i < speech.timestamps().size(); i++) {
            if (speech.timestamps().get(i) / 48 >= millis) {
                return i;
            }
        }
        return speech.timestamps().size();
    }

    /**
     * Waits (30 s at most) until the finals share {@code share} of the reference's words, or until they have passed
     * the 70 % the tests assert and not changed for {@link #SETTLED_NANOS}: the recognizer has said all it will
     * (Vosk's output varies run to run and often ends between the two), so the rest of the 30 s would be waited out.
     */
    private static void awaitOverlap(CaptionReader captions, String reference, double share)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = null;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            String text = captions.finalText();
            double overlap = Speech.wordOverlap(reference, text);
            if (overlap >= share) {
                return;
            }
            if (!text.equals(last)) {
                last = text;
                lastChange = System.nanoTime();
            } else if (overlap >= 0.7 && System.nanoTime() - lastChange > SETTLED_NANOS) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /**
     * The phrases from {@code firstPhrase} on whose last final came later than {@link #MAX_FINAL_LATENCY_MILLIS}
     * after the phrase's last voiced packet was sent (or never).
     */
    private static List<String> late(OpusSpeech speech, List<CaptionReader.Received> finals, List<Long> phraseEndSent,
                                     int firstPhrase) throws Exception {
        return late(speech, finals, phraseEndSent, firstPhrase, 0);
    }

    /** As above, for phrases {@code offsetMillis} later on the track's timeline than in the speech. */
    private static List<String> late(OpusSpeech speech, List<CaptionReader.Received> finals, List<Long> phraseEndSent,
                                     int firstPhrase, long offsetMillis) throws Exception {
        List<String> late = new ArrayList<>();
        for (int p = firstPhrase; p < phraseEndSent.size(); p++) {
            long start = speech.phraseStarts().get(p) + offsetMillis;
            long end = speech.phraseEnds().get(p) + offsetMillis;
            long lastArrival = -1;
            for (CaptionReader.Received c : finals) {
                if (c.caption().startMillis() < end + 300 && c.caption().endMillis() > start - 300) {
                    lastArrival = Math.max(lastArrival, c.receivedNanos());
                }
            }
            long latency = lastArrival < 0 ? Long.MAX_VALUE
                    : TimeUnit.NANOSECONDS.toMillis(lastArrival - phraseEndSent.get(p));
            System.out.printf("phrase %d: final %s ms after its end%n", p,
                    latency == Long.MAX_VALUE ? "never" : Long.toString(latency));
            if (latency > MAX_FINAL_LATENCY_MILLIS) {
                late.add("phrase " + p + " '" + speech.sentences().get(p) + "': "
                        + (lastArrival < 0 ? "no final" : latency + " ms"));
            }
        }
        return late;
    }

    private void publishAsync(EventData data) {
        Event event = Event.of(data, Instant.now());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)));
    }

    private void publish(EventData data) throws Exception {
        Event event = Event.of(data, Instant.now());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                .get(30, TimeUnit.SECONDS);
    }

    private void send(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.MEDIA_AUDIO, key, value)).get(30, TimeUnit.SECONDS);
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(String meeting) {
        String topic = Topics.deadLetter(group);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(meeting)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /** Reads {@code tribune.captions} from its end in a thread of its own, noting when each caption arrived. */
    static final class CaptionReader implements AutoCloseable {

        record Received(CaptionEvents.Caption caption, long receivedNanos) {
        }

        final List<Received> received = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        CaptionReader(String bootstrap, String meeting) throws InterruptedException {
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(),
                    new ByteArrayDeserializer());
            // The topic may not exist yet (nothing published to it in this platform): create it, or the reader
            // would be assigned no partitions at all.
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(Topics.CAPTIONS, 3, (short) 1))).all().get(30,
                        TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(e.getCause());
                }
            } catch (TimeoutException e) {
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
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                            long at = System.nanoTime();
                            if (!meeting.equals(record.key())) {
                                continue;
                            }
                            Event event = EventCodec.decode(record.value());
                            if (event.data() instanceof CaptionEvents.Caption caption) {
                                received.add(new Received(caption, at));
                            }
                        }
                    }
                }
            }, "caption-reader");
            thread.setDaemon(true);
            thread.start();
        }

        List<Received> finals() {
            return received.stream().filter(r -> r.caption().isFinal()).toList();
        }

        List<Received> partials() {
            return received.stream().filter(r -> !r.caption().isFinal()).toList();
        }

        String finalText() {
            StringBuilder text = new StringBuilder();
            finals().forEach(r -> text.append(r.caption().text()).append(' '));
            return text.toString();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
