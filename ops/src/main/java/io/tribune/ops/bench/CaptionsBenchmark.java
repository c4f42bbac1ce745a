package io.tribune.ops.bench;

import com.codahale.metrics.MetricRegistry;
import io.tribune.events.CaptionEvents;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import io.tribune.transcription.bench.OpusSpeech;
import io.tribune.transcription.bench.Speech;
import io.tribune.transcription.core.SpeechModel;
import io.tribune.transcription.core.TrackTranscriber;
import io.tribune.transcription.core.TranscriberSettings;
import io.tribune.transcription.core.TranscriptionMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench captions}: the fixed sentences ({@code transcription-worker}'s {@code speech/sentences.txt}) spoken
 * by espeak-ng, encoded to Opus by ffmpeg and streamed in real time, packet by packet, into the worker's own track
 * pipeline (reorder, FFmpeg Opus decode, VAD, Vosk, caption). Prints:
 * <ul>
 *   <li>{@code latency_p50_s}/{@code latency_p95_s}: from sending a phrase's last voiced packet to its final caption
 *   leaving the pipeline (the Kafka hop and the api-server's channel are not included);</li>
 *   <li>{@code wer}: word error rate of the finals against the sentences (median over runs);</li>
 *   <li>{@code speakers_per_core}: seconds of audio per CPU second while {@code --speakers N} (default 4) tracks
 *   stream in real time at once, with partials, i.e. how many real-time speakers one core keeps up with.</li>
 * </ul>
 * The model: {@code $TRIBUNE_VOSK_MODEL}, else the one the build unpacks under transcription-worker/target.
 */
final class CaptionsBenchmark implements Benchmark {

    @Override
    public String name() {
        return "captions";
    }

    @Override
    public String description() {
        return "Vosk captions of espeak-ng speech streamed as Opus RTP: phrase end -> final, WER, speakers/core";
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int runs = Benchmarks.runs(args, 3);
        int speakers = intArg(args, "--speakers", 4);
        String model = System.getenv().getOrDefault("TRIBUNE_VOSK_MODEL",
                "transcription-worker/target/vosk-model/assets/model-en-us");
        Path dir = Files.createTempDirectory("bench-captions");
        try (SpeechModel speech = SpeechModel.load(Path.of(model))) {
            OpusSpeech audio = OpusSpeech.make(dir);
            String reference = String.join(" ", audio.sentences());
            List<Double> latencies = new ArrayList<>();
            List<Double> wers = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                List<Long> phraseEndSent = new ArrayList<>();
                List<Received> finals = stream(speech, audio, "bench-" + run, phraseEndSent);
                String text = String.join(" ", finals.stream().map(r -> r.caption().text()).toList());
                double wer = Speech.wordErrorRate(reference, text);
                wers.add(wer);
                for (int p = 0; p < phraseEndSent.size(); p++) {
                    long start = audio.phraseStarts().get(p);
                    long end = audio.phraseEnds().get(p);
                    long last = -1;
                    for (Received r : finals) {
                        if (r.caption().startMillis() < end + 300 && r.caption().endMillis() > start - 300) {
                            last = Math.max(last, r.nanos());
                        }
                    }
                    if (last >= 0) {
                        latencies.add((last - phraseEndSent.get(p)) / 1e9);
                    }
                }
                System.err.printf(Locale.ROOT, "run %d: wer %.3f, finals: %s%n", run, wer, text);
            }
            double perCore = speakersPerCore(speech, audio, speakers);
            Collections.sort(latencies);
            return new Result(List.of(
                    String.format(Locale.ROOT, "latency_p50_s=%.2f", percentile(latencies, 0.50)),
                    String.format(Locale.ROOT, "latency_p95_s=%.2f", percentile(latencies, 0.95)),
                    String.format(Locale.ROOT, "wer=%.3f", Benchmarks.median(wers)),
                    String.format(Locale.ROOT, "speakers_per_core=%.1f", perCore),
                    "runs=" + runs));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Received(CaptionEvents.Caption caption, long nanos) {
    }

    /** Streams the speech in real time through one track; returns its finals with the time each came out. */
    private static List<Received> stream(SpeechModel model, OpusSpeech audio, String trackId, List<Long> phraseEndSent)
            throws InterruptedException {
        List<Received> finals = Collections.synchronizedList(new ArrayList<>());
        MediaEvents.AudioTrackStarted started = new MediaEvents.AudioTrackStarted("bench", trackId, "p", "Bench", 1,
                "opus", 48_000, 111, Instant.now(), null);
        try (TrackTranscriber track = new TrackTranscriber(started, model, caption -> {
            if (caption.isFinal()) {
                finals.add(new Received(caption, System.nanoTime()));
            }
        }, Clock.systemUTC(), TranscriberSettings.defaults(), new TranscriptionMetrics(new MetricRegistry()))) {
            long t0 = System.nanoTime();
            int phrase = 0;
            for (int i = 0; i < audio.packets().size(); i++) {
                long ts = audio.timestamps().get(i);
                sleepUntil(t0 + ts * 1_000_000_000L / 48_000);
                long sentAt = System.nanoTime();
                track.onPacket(new RtpRecord(System.currentTimeMillis() * 1000, 1, 111, i & 0xFFFF, ts, false,
                        audio.packets().get(i)));
                while (phrase < audio.phraseEnds().size() && ts / 48 >= audio.phraseEnds().get(phrase)) {
                    phraseEndSent.add(sentAt);
                    phrase++;
                }
            }
        }
        return finals;
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
                    stream(model, audio, id, new ArrayList<>());
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

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private static int intArg(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : fallback;
    }
}
