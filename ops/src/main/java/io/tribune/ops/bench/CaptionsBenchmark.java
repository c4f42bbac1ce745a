package io.tribune.ops.bench;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.ops.TranscriptionWorkerConfigWriter;
import io.tribune.sfu.SfuConfiguration;
import io.tribune.sfu.tap.KafkaTapSink;
import io.tribune.transcription.bench.OpusSpeech;
import io.tribune.transcription.bench.Speech;
import io.tribune.transcription.core.SpeechModel;
import io.tribune.transcription.core.TrackTranscriber;
import io.tribune.transcription.core.TranscriberSettings;
import io.tribune.transcription.core.TranscriptionMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench captions}: the fixed sentences ({@code transcription-worker}'s {@code speech/sentences.txt}) spoken
 * by espeak-ng and encoded to Opus by ffmpeg ({@link OpusSpeech}), then streamed in real time, packet by packet.
 *
 * <p>End to end (the default): a temporary {@code tribune up} (its own data and ports). A registered host creates a
 * meeting that allows transcription, opens its meeting channel over WebSocket as the web client does, and switches
 * captions on ({@code POST /api/v1/meetings/{id}/captions}). The benchmark then publishes the speech as the SFU's
 * media tap would: an {@code media.audio_track_started} event with {@code captions=true}, one {@link RtpRecord} per
 * packet, then {@code media.audio_track_ended}, all keyed {@code meetingId:trackId} on {@code tribune.media.audio}
 * through the SFU's own {@link KafkaTapSink} with the SFU's default producer settings (linger 100 ms). The path
 * measured: Kafka -> transcription-worker (reorder, FFmpeg Opus decode, VAD, Vosk) -> {@code tribune.captions} ->
 * api-server's {@code LiveCaptionsConsumer} -> Redis channel topic -> the channel's WebSocket. One untimed warm-up
 * stream first (consumer assignments, JIT), then {@code --runs} streams, each on a track of its own.
 *
 * <p>Then the worker's pipeline alone, in this JVM ({@link TrackTranscriber}, the same stream, no Kafka), and the
 * speakers one core keeps up with. Prints:
 * <ul>
 *   <li>{@code latency_p50_s}/{@code latency_p95_s}: per phrase, from sending its last voiced packet to the arrival
 *   of its (last) final {@code caption} on the meeting channel, over all phrases of all runs;</li>
 *   <li>{@code wer}: word error rate of the finals the channel showed, against the sentences (median over runs);</li>
 *   <li>{@code speakers_per_core} (in process): seconds of audio per CPU second while {@code --speakers N}
 *   (default 4) tracks stream into the pipeline in real time at once, with partials, i.e. how many real-time
 *   speakers one core of the worker keeps up with;</li>
 *   <li>{@code worker_latency_p50_s}/{@code worker_latency_p95_s}/{@code worker_wer}: the same, to the final leaving
 *   the in-process pipeline (no Kafka, no api-server);</li>
 *   <li>{@code latency_method}: {@code channel}, or {@code in_process} with {@code --in-process} (no platform: the
 *   latency and WER keys are then the worker's, for a machine too loaded to start {@code tribune up});</li>
 *   <li>{@code phrases}: phrases timed, and {@code missed}: phrases no final reached the channel for.</li>
 * </ul>
 * The model: {@code $TRIBUNE_VOSK_MODEL}, else the one the build unpacks under transcription-worker/target, for the
 * platform's worker and the in-process part alike. Figures, and where the end-to-end time goes: BENCHMARKS.md
 * (2026-11-27, dev-2c at load average ~20-25: {@code latency_p50_s=0.83} and 0.81 in two commands, the worker's own
 * part 0.60 and 0.63 s).
 */
final class CaptionsBenchmark implements Benchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Once every phrase of a run has a final on the channel, how long to wait for a later part of one. */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** Longest wait for a run's finals after its last packet. */
    private static final long FINALS_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int OPUS_PAYLOAD_TYPE = 111;

    @Override
    public String name() {
        return "captions";
    }

    @Override
    public String description() {
        return "Vosk captions of espeak-ng speech published as the SFU's tap: phrase end -> final on the meeting "
                + "channel, WER, speakers/core";
    }

    /** Per-phrase latencies (seconds, NaN for a phrase without a final) and WER of each run. */
    private static final class Figures {
        final List<Double> latencies = new ArrayList<>();
        final List<Double> wers = new ArrayList<>();
        int missed;

        void add(double[] phraseLatencies, double wer) {
            for (double latency : phraseLatencies) {
                if (Double.isNaN(latency)) {
                    missed++;
                } else {
                    latencies.add(latency);
                }
            }
            wers.add(wer);
        }

        double percentile(double q) {
            List<Double> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return CaptionsBenchmark.percentile(sorted, q);
        }
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int runs = Benchmarks.runs(args, 3);
        int speakers = CdnBenchmark.intArg(args, "--speakers", 4);
        boolean inProcessOnly = args.contains("--in-process");
        Path model = TranscriptionWorkerConfigWriter.modelPath(System.getenv());
        Path dir = Files.createTempDirectory("bench-captions");
        try {
            OpusSpeech audio = OpusSpeech.make(dir);
            System.err.printf(Locale.ROOT, "%d phrases, %.1f s of speech, %d Opus packets%n",
                    audio.sentences().size(), audio.durationMillis() / 1000.0, audio.packets().size());
            Figures channel = inProcessOnly ? null : throughPlatform(audio, runs);
            Figures worker;
            double perCore;
            // Loaded only now: the platform is gone, so the in-process figures do not share the cores with it.
            try (SpeechModel speech = SpeechModel.load(model)) {
                worker = inProcess(speech, audio, runs);
                perCore = speakersPerCore(speech, audio, speakers);
            }
            Figures shown = channel != null ? channel : worker;
            return new Result(List.of(
                    String.format(Locale.ROOT, "latency_p50_s=%.2f", shown.percentile(0.50)),
                    String.format(Locale.ROOT, "latency_p95_s=%.2f", shown.percentile(0.95)),
                    String.format(Locale.ROOT, "wer=%.3f", Benchmarks.median(shown.wers)),
                    String.format(Locale.ROOT, "speakers_per_core=%.1f", perCore),
                    String.format(Locale.ROOT, "worker_latency_p50_s=%.2f", worker.percentile(0.50)),
                    String.format(Locale.ROOT, "worker_latency_p95_s=%.2f", worker.percentile(0.95)),
                    String.format(Locale.ROOT, "worker_wer=%.3f", Benchmarks.median(worker.wers)),
                    "latency_method=" + (channel != null ? "channel" : "in_process"),
                    "phrases=" + shown.latencies.size(),
                    "missed=" + shown.missed,
                    "speakers=" + speakers,
                    "runs=" + runs));
        } finally {
            CdnBenchmark.deleteTree(dir);
        }
    }

    // ---- end to end: SFU tap -> Kafka -> worker -> Kafka -> api-server -> channel ----

    /** A channel message as it arrived. */
    private record Arrived(JsonNode message, long nanos) {
    }

    private static Figures throughPlatform(OpusSpeech audio, int runs) throws Exception {
        String reference = String.join(" ", audio.sentences());
        System.err.println("starting a temporary platform (tribune up) ...");
        try (TemporaryPlatform platform = TemporaryPlatform.fresh()) {
            platform.start();
            System.err.printf(Locale.ROOT, "platform up in %.1f s%n", platform.readySeconds());
            String api = platform.apiUrl();
            String tag = UUID.randomUUID().toString().substring(0, 8);
            String name = "captions-" + tag;
            String email = name + "@example.org";
            String password = "bench-" + UUID.randomUUID();
            ChannelBenchmark.post(HTTP, api + "/api/v1/users/register", null, Map.of("username", name, "email", email,
                    "password", password));
            JsonNode login = ChannelBenchmark.post(HTTP, api + "/api/v1/users/login", null, Map.of("email", email,
                    "password", password));
            String token = login.path("token").asText();
            String hostId = login.path("user_id").asText();
            String meetingId = meeting(api, token, hostId);
            String joinToken = ChannelBenchmark.post(HTTP, api + "/api/v1/meetings/" + meetingId + "/join", token,
                    Map.of("user_id", hostId)).path("join_token").asText();

            Queue<Arrived> captions = new ConcurrentLinkedQueue<>();
            CompletableFuture<Void> captionsOn = new CompletableFuture<>();
            AtomicLong sendFailures = new AtomicLong();
            MeetingChannelClient.Listener listener = (message, nanos) -> {
                switch (message.path("type").asText()) {
                    case "caption" -> captions.add(new Arrived(message, nanos));
                    case "captions.state" -> {
                        if (message.path("enabled").asBoolean()) {
                            captionsOn.complete(null);
                        }
                    }
                    default -> {
                        // roster and the rest: not this benchmark's business
                    }
                }
            };
            try (MeetingChannelClient channel = MeetingChannelClient.open(HTTP, api, joinToken, listener);
                 KafkaTapSink tap = sfuTap(platform.kafkaBootstrap())) {
                ChannelBenchmark.post(HTTP, api + "/api/v1/meetings/" + meetingId + "/captions", token,
                        Map.of("enabled", true));
                captionsOn.get(30, TimeUnit.SECONDS);

                // Warm-up: the consumers' first assignments and the JIT, not timed.
                String warmUp = "bench-" + tag + "-warm-up";
                long[] first = new long[1];
                List<Long> sent = publish(tap, sendFailures, audio, meetingId, warmUp, hostId, name, first);
                List<PhraseLatency.Final> warmUpFinals = awaitFinals(captions, channel, audio, warmUp, first[0],
                        sent);
                if (warmUpFinals.isEmpty()) {
                    throw new IllegalStateException("no final caption reached the meeting channel in the warm-up "
                            + "(" + sendFailures.get() + " records not delivered to Kafka): check the "
                            + "transcription-worker and the api-server's LiveCaptionsConsumer");
                }
                System.err.printf(Locale.ROOT, "warm-up: %d finals: %s%n", warmUpFinals.size(),
                        PhraseLatency.transcript(warmUpFinals));

                Figures figures = new Figures();
                for (int run = 1; run <= runs; run++) {
                    String trackId = "bench-" + tag + "-" + run;
                    sent = publish(tap, sendFailures, audio, meetingId, trackId, hostId, name, first);
                    List<PhraseLatency.Final> finals = awaitFinals(captions, channel, audio, trackId, first[0], sent);
                    double[] latencies = PhraseLatency.latencies(audio.phraseStarts(), audio.phraseEnds(), sent,
                            finals);
                    String text = PhraseLatency.transcript(finals);
                    double wer = Speech.wordErrorRate(reference, text);
                    figures.add(latencies, wer);
                    System.err.printf(Locale.ROOT, "channel run %d/%d: latency per phrase %s s, wer %.3f, finals: %s%n",
                            run, runs, seconds(latencies), wer, text);
                }
                if (sendFailures.get() > 0) {
                    System.err.println(sendFailures.get() + " records were not delivered to Kafka");
                }
                return figures;
            }
        }
    }

    /** A meeting of the host's, starting in the next hour, no lobby, transcription allowed. */
    private static String meeting(String api, String token, String hostId) throws Exception {
        Instant start = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        return ChannelBenchmark.post(HTTP, api + "/api/v1/meetings", token, Map.of("title", "Captions benchmark",
                "start_time", start.toString(), "end_time", start.plus(1, ChronoUnit.HOURS).toString(),
                "host_id", hostId, "participants", List.of(), "settings", Map.of("lobby", false,
                        "join_before_host", true, "transcription_allowed", true))).path("meeting_id").asText();
    }

    /** The SFU's media-tap producer with the SFU's default settings (config/sfu.example.yml, {@code kafka:}). */
    private static KafkaTapSink sfuTap(String bootstrapServers) {
        SfuConfiguration.Kafka defaults = new SfuConfiguration.Kafka();
        return new KafkaTapSink(new KafkaTapSink.Settings(bootstrapServers, "bench-captions-tap",
                defaults.compression, Duration.ofMillis(defaults.linger.toMilliseconds()), defaults.batchBytes,
                Duration.ofMillis(defaults.maxBlock.toMilliseconds())));
    }

    /**
     * One track of the speech, as the SFU's tap publishes a captioned participant's microphone: Started (captions
     * on), the packets in real time with the wall clock as their arrival time, Ended. Returns when each phrase's
     * end was sent; {@code firstArrivalMillis[0]} gets the first packet's arrival time (epoch ms).
     */
    private static List<Long> publish(KafkaTapSink tap, AtomicLong failures, OpusSpeech audio, String meetingId,
                                      String trackId, String participantId, String displayName,
                                      long[] firstArrivalMillis) throws Exception {
        long ssrc = trackId.hashCode() & 0xFFFF_FFFFL;
        String key = meetingId + ":" + trackId;
        publish(tap, failures, new MediaEvents.AudioTrackStarted(meetingId, trackId, participantId, displayName, ssrc,
                "opus", 48_000, OPUS_PAYLOAD_TYPE, Instant.now(), null, true));
        List<Long> sent = pace(audio, (index, timestamp, payload, arrivalMicros) -> {
            if (index == 0) {
                firstArrivalMillis[0] = arrivalMicros / 1000;
            }
            tap.send(Topics.MEDIA_AUDIO, key, new RtpRecord(arrivalMicros, ssrc, OPUS_PAYLOAD_TYPE, index & 0xFFFF,
                    timestamp, false, payload).encode(), failures::incrementAndGet);
        });
        publish(tap, failures, new MediaEvents.AudioTrackEnded(meetingId, trackId, Instant.now(), null));
        return sent;
    }

    private static void publish(KafkaTapSink tap, AtomicLong failures, EventData data) {
        Event event = Event.of(data, Instant.now());
        tap.send(event.topic(), event.key(), EventCodec.encode(event), failures::incrementAndGet);
    }

    /**
     * The finals of {@code trackId} that reached the channel: waits until every phrase has one and then
     * {@link #QUIET_NANOS} without another, or {@link #FINALS_TIMEOUT_NANOS} at most.
     */
    private static List<PhraseLatency.Final> awaitFinals(Queue<Arrived> arrived, MeetingChannelClient channel,
                                                         OpusSpeech audio, String trackId, long firstArrivalMillis,
                                                         List<Long> sent) throws InterruptedException {
        long deadline = System.nanoTime() + FINALS_TIMEOUT_NANOS;
        while (true) {
            List<PhraseLatency.Final> finals = new ArrayList<>();
            long last = Long.MIN_VALUE;
            for (Arrived a : arrived) {
                PhraseLatency.Final f = PhraseLatency.fromChannel(a.message(), trackId, firstArrivalMillis,
                        a.nanos());
                if (f != null) {
                    finals.add(f);
                    last = Math.max(last, f.arrivalNanos());
                }
            }
            boolean all = true;
            for (double latency : PhraseLatency.latencies(audio.phraseStarts(), audio.phraseEnds(), sent, finals)) {
                all &= !Double.isNaN(latency);
            }
            long now = System.nanoTime();
            if ((all && now - last >= QUIET_NANOS) || now > deadline) {
                return finals;
            }
            if (!channel.isOpen()) {
                throw new IllegalStateException("the api-server closed the meeting channel");
            }
            Thread.sleep(100);
        }
    }

    // ---- in process: the worker's pipeline alone ----

    private static Figures inProcess(SpeechModel model, OpusSpeech audio, int runs) throws InterruptedException {
        String reference = String.join(" ", audio.sentences());
        Figures figures = new Figures();
        for (int run = 1; run <= runs; run++) {
            List<PhraseLatency.Final> finals = Collections.synchronizedList(new ArrayList<>());
            List<Long> sent = streamInProcess(model, audio, "bench-" + run, finals);
            double[] latencies = PhraseLatency.latencies(audio.phraseStarts(), audio.phraseEnds(), sent, finals);
            String text = PhraseLatency.transcript(finals);
            double wer = Speech.wordErrorRate(reference, text);
            figures.add(latencies, wer);
            System.err.printf(Locale.ROOT, "in-process run %d/%d: latency per phrase %s s, wer %.3f, finals: %s%n",
                    run, runs, seconds(latencies), wer, text);
        }
        return figures;
    }

    /** Streams the speech in real time through one track's pipeline; its finals go to {@code finals}. */
    private static List<Long> streamInProcess(SpeechModel model, OpusSpeech audio, String trackId,
                                              List<PhraseLatency.Final> finals) throws InterruptedException {
        MediaEvents.AudioTrackStarted started = new MediaEvents.AudioTrackStarted("bench", trackId, "p", "Bench", 1,
                "opus", 48_000, OPUS_PAYLOAD_TYPE, Instant.now(), null, true);
        try (TrackTranscriber track = new TrackTranscriber(started, model, caption -> {
            if (caption.isFinal()) {
                finals.add(new PhraseLatency.Final(caption.phraseId(), caption.text(), caption.startMillis(),
                        caption.endMillis(), System.nanoTime()));
            }
        }, Clock.systemUTC(), TranscriberSettings.defaults(), new TranscriptionMetrics(new MetricRegistry()))) {
            return pace(audio, (index, timestamp, payload, arrivalMicros) -> track.onPacket(new RtpRecord(
                    arrivalMicros, 1, OPUS_PAYLOAD_TYPE, index & 0xFFFF, timestamp, false, payload)));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the in-process pipeline failed", e);
        }
    }

    /** {@code speakers} tracks streaming in real time on threads of their own; audio seconds per CPU second. */
    private static double speakersPerCore(SpeechModel model, OpusSpeech audio, int speakers) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong cpuNanos = new AtomicLong();
        List<Thread> running = new ArrayList<>();
        for (int s = 0; s < speakers; s++) {
            String id = "load-" + s;
            Thread thread = new Thread(() -> {
                long before = threads.getCurrentThreadCpuTime();
                try {
                    streamInProcess(model, audio, id, new ArrayList<>());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - before);
            }, "bench-speaker-" + s);
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            thread.join(TimeUnit.MINUTES.toMillis(5));
        }
        double audioSeconds = speakers * audio.durationMillis() / 1000.0;
        return audioSeconds / (cpuNanos.get() / 1e9);
    }

    // ---- shared ----

    /** Takes the speech's packets as they are due. */
    private interface PacketSink {
        /** @param arrivalMicros the wall clock now (epoch µs), as the SFU stamps a packet it receives */
        void send(int index, long timestamp, byte[] payload, long arrivalMicros) throws Exception;
    }

    /**
     * Hands the speech to {@code sink} packet by packet at its own pace (each when its RTP timestamp is due, from
     * now); returns when each phrase's last voiced packet was handed over ({@link System#nanoTime()}).
     */
    private static List<Long> pace(OpusSpeech audio, PacketSink sink) throws Exception {
        List<Long> phraseEndSent = new ArrayList<>();
        long t0 = System.nanoTime();
        int phrase = 0;
        for (int i = 0; i < audio.packets().size(); i++) {
            long ts = audio.timestamps().get(i);
            long wait = t0 + ts * 1_000_000_000L / 48_000 - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long sentAt = System.nanoTime();
            sink.send(i, ts, audio.packets().get(i), System.currentTimeMillis() * 1000);
            while (phrase < audio.phraseEnds().size() && ts / 48 >= audio.phraseEnds().get(phrase)) {
                phraseEndSent.add(sentAt);
                phrase++;
            }
        }
        return phraseEndSent;
    }

    private static String seconds(double[] latencies) {
        List<String> parts = new ArrayList<>();
        for (double latency : latencies) {
            parts.add(Double.isNaN(latency) ? "none" : String.format(Locale.ROOT, "%.2f", latency));
        }
        return String.join(" / ", parts);
    }

    private static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }
}
