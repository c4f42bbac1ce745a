package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.MediaEvents;
import io.tribune.events.RecordingEvents;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.ops.CliException;
import io.tribune.recording.render.Compositor;
import io.tribune.recording.render.Layout;
import io.tribune.recording.render.RenderPlan;
import io.tribune.recording.render.RenderTrack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * {@code bench recording}: the three recording figures of issue 8.
 * <ul>
 *   <li>{@code render_ratio}: the archive's {@link Compositor} against the {@code ffmpeg} CLI of the same FFmpeg
 *       build (the one javacv ships, so the encoder is the same: libopenh264 + AAC, same bitrate, GOP, frame rate,
 *       faststart) doing the same layout on the same input files: three 640x360 VP8 cameras and three Opus
 *       microphones (one loud speaker, two near-silent ones, so the layout is one epoch), the speaker large, the
 *       others as tiles, names on tiles (drawtext with DejaVu Sans), the audio mixed; one encoder and decoder thread
 *       on both sides. Ratio = ffmpeg's wall time / ours (higher is better), alternating run by run, medians.</li>
 *   <li>{@code rooms_per_core}: a whole {@code tribune up} on a temporary data directory; pre-built RtpRecords of
 *       rooms of three 720p VP8 tracks at ~1.5 Mbit/s each (real VP8 from the same ffmpeg, packetized as RFC 7741)
 *       go into Kafka interleaved as a tap would send them; rooms_per_core = recorded room-seconds per CPU-second of
 *       the recording-archive process (from /proc) from the first record to the last track stored. No
 *       recording.stopped is sent: this is the archiving path, the render is measured above.</li>
 *   <li>{@code tap_cost_pct}: {@code bench sfu --tap --no-janus} (see {@link SfuBenchmark}); {@code --no-tap}
 *       skips it and prints {@code tap_cost_pct=skipped}.</li>
 * </ul>
 * Options: {@code --runs N} (3), {@code --seconds S} of rendered media (30), {@code --rooms N} (4),
 * {@code --room-seconds S} (20), {@code --tap-runs N} (3), {@code --no-tap}, {@code --no-rooms}, {@code --no-render},
 * {@code --rooms-in-process} (the archive's per-track work only, see {@link #roomsPerCoreInProcess})
 * (a part left out prints {@code skipped}).
 */
final class RecordingBenchmark implements Benchmark {

    private static final String FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int MTU_PAYLOAD = 1180;

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public String description() {
        return "composed render vs ffmpeg CLI (render_ratio), archive rooms per core, SFU tap cost";
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int runs = Benchmarks.runs(args, 3);
        int seconds = CdnBenchmark.intArg(args, "--seconds", 30);
        int rooms = CdnBenchmark.intArg(args, "--rooms", 4);
        int roomSeconds = CdnBenchmark.intArg(args, "--room-seconds", 20);
        int tapRuns = CdnBenchmark.intArg(args, "--tap-runs", 3);
        Path dir = Files.createTempDirectory("tribune-bench-recording");
        List<String> pairs = new ArrayList<>();
        try {
            String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
            double[] render = args.contains("--no-render") ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                    : renderRatio(ffmpeg, dir, seconds, runs);
            String roomsPerCore = "skipped";
            String cpuPerRoomSecond = "skipped";
            String roomsMethod = "platform";
            if (args.contains("--rooms-in-process")) {
                double perCore = roomsPerCoreInProcess(ffmpeg, dir, rooms, roomSeconds, runs);
                roomsPerCore = String.format(Locale.ROOT, "%.1f", perCore);
                cpuPerRoomSecond = String.format(Locale.ROOT, "%.4f", 1 / perCore);
                roomsMethod = "in_process";
            } else if (!args.contains("--no-rooms")) {
                double perCore = roomsPerCore(ffmpeg, dir, rooms, roomSeconds, runs);
                roomsPerCore = String.format(Locale.ROOT, "%.1f", perCore);
                cpuPerRoomSecond = String.format(Locale.ROOT, "%.4f", 1 / perCore);
            }
            String tapCost = "skipped";
            if (!args.contains("--no-tap")) {
                System.err.println("tap cost: bench sfu --tap --no-janus --runs " + tapRuns + " ...");
                Result sfu = new SfuBenchmark().run(new ArrayList<>(List.of("--tap", "--no-janus", "--runs",
                        Integer.toString(tapRuns))));
                tapCost = sfu.pairs().stream().filter(p -> p.startsWith("tap_cost_pct=")).findFirst()
                        .map(p -> p.substring(p.indexOf('=') + 1)).orElse("unknown");
            }
            pairs.add("rooms_per_core=" + roomsPerCore);
            pairs.add("render_ratio=" + figure(render[0]));
            pairs.add("tap_cost_pct=" + tapCost);
            pairs.add("render_speed_x=" + figure(render[1]));
            pairs.add("ffmpeg_speed_x=" + figure(render[2]));
            pairs.add("archive_cpu_s_per_room_s=" + cpuPerRoomSecond);
            pairs.add("rooms_method=" + roomsMethod);
            pairs.add("rendered_s=" + seconds);
            pairs.add("rooms=" + rooms);
            pairs.add("room_s=" + roomSeconds);
            pairs.add("runs=" + runs);
            return new Result(pairs);
        } finally {
            CdnBenchmark.deleteTree(dir);
        }
    }

    // ---- render_ratio ----

    /** Median ratio, our speed (media s / wall s), ffmpeg's speed. */
    private static double[] renderRatio(String ffmpeg, Path dir, int seconds, int runs) throws Exception {
        if (!Files.exists(Path.of(FONT))) {
            throw new CliException("bench recording needs " + FONT + " (Debian: fonts-dejavu-core)", 2);
        }
        System.err.println("generating " + seconds + " s of three 640x360 VP8 cameras and three Opus microphones ...");
        String[] names = {"Ada Lovelace", "Grace Hopper", "Edsger Dijkstra"};
        String[] patterns = {"testsrc2", "testsrc", "smptebars"};
        double[] volumes = {0.5, 0.003, 0.003};
        List<RenderTrack> tracks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path camera = dir.resolve("camera-" + i + ".webm");
            exec(List.of(ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    patterns[i] + "=size=640x360:rate=30", "-t", Integer.toString(seconds), "-c:v", "libvpx",
                    "-b:v", "1000k", "-deadline", "realtime", "-cpu-used", "8", "-g", "60", camera.toString()));
            Path microphone = dir.resolve("microphone-" + i + ".webm");
            exec(List.of(ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=" + (330 + 110 * i) + ":sample_rate=48000:duration=" + seconds, "-af",
                    "volume=" + volumes[i], "-c:a", "libopus", "-ac", "2", microphone.toString()));
            tracks.add(new RenderTrack("camera-" + i, "p-" + i, names[i], "video", "camera", camera, 0,
                    seconds * 1000L));
            tracks.add(new RenderTrack("microphone-" + i, "p-" + i, names[i], "audio", "microphone", microphone, 0,
                    seconds * 1000L));
        }
        Compositor.Settings defaults = Compositor.Settings.defaults();
        Compositor.Settings settings = new Compositor.Settings(defaults.width(), defaults.height(), defaults.fps(),
                defaults.videoCodec(), defaults.videoBitrate(), defaults.gopFrames(), defaults.videoOptions(),
                defaults.audioBitrate(), defaults.sampleRate(), defaults.channels(), 1,
                defaults.placeholderAfterMillis(), defaults.thumbnailIntervalMillis(), defaults.thumbnailWidth(),
                defaults.thumbnailHeight(), defaults.thumbnailColumns(), defaults.speaker());
        Compositor compositor = new Compositor(settings);
        RenderPlan plan = compositor.plan(tracks);
        if (plan.epochs().size() != 1) {
            throw new IllegalStateException("expected one layout epoch for the comparison, got " + plan.epochs());
        }
        List<String> command = ffmpegCommand(ffmpeg, compositor, plan, dir.resolve("ffmpeg.mp4"));
        System.err.println("ffmpeg: " + String.join(" ", command));
        // A running archive is warm (JIT, natives loaded): one untimed render first.
        System.err.printf(Locale.ROOT, "warm-up: ours %.2fx realtime%n", seconds / ours(compositor, tracks, dir));
        List<Double> ratios = new ArrayList<>();
        List<Double> oursSpeed = new ArrayList<>();
        List<Double> theirsSpeed = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double o = ours(compositor, tracks, dir);
            long start = System.nanoTime();
            exec(command);
            double f = (System.nanoTime() - start) / 1e9;
            ratios.add(f / o);
            oursSpeed.add(seconds / o);
            theirsSpeed.add(seconds / f);
            System.err.printf(Locale.ROOT, "render run %d/%d: ours %.1f s (%.2fx realtime), ffmpeg %.1f s (%.2fx),"
                    + " ratio %.2f%n", run, runs, o, seconds / o, f, seconds / f, f / o);
        }
        return new double[] {Benchmarks.median(ratios), Benchmarks.median(oursSpeed),
                Benchmarks.median(theirsSpeed)};
    }

    /** Wall seconds of our whole render: the level pass and speaker choice, then the composed file. */
    private static double ours(Compositor compositor, List<RenderTrack> tracks, Path dir) throws Exception {
        long start = System.nanoTime();
        compositor.render(compositor.plan(tracks), dir.resolve("ours"), fraction -> { });
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The same layout as a filter graph: each camera scaled (bilinear, as swscale in ours) and cropped or boxed as
     * {@link Compositor#place} puts it, overlaid on the background, names drawn as our labels are, the microphones
     * summed ({@code amix} without normalization, as ours adds samples), the encoder settings from
     * {@link Compositor#ffmpegOutputArguments()}.
     */
    static List<String> ffmpegCommand(String ffmpeg, Compositor compositor, RenderPlan plan, Path output) {
        Compositor.Settings s = compositor.settings();
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-y",
                "-filter_threads", "1", "-filter_complex_threads", "1"));
        Map<String, Integer> cameraInput = new HashMap<>();
        List<Integer> audioInputs = new ArrayList<>();
        int index = 0;
        for (RenderTrack track : plan.tracks()) {
            command.addAll(List.of("-threads", "1", "-i", track.file().toString()));
            if (track.isAudio()) {
                audioInputs.add(index);
            } else {
                cameraInput.put(track.owner(), index);
            }
            index++;
        }
        RenderPlan.Epoch epoch = plan.epochs().get(0);
        List<Layout.Tile> tiles = Layout.tiles(s.width(), s.height(), plan.participantIds(), epoch.speaker(), null);
        Map<String, String> names = new HashMap<>();
        plan.participants().forEach(p -> names.put(p.id(), p.name()));
        StringBuilder graph = new StringBuilder(String.format(Locale.ROOT, "color=c=0x16181c:s=%dx%d:r=%d:d=%.3f",
                s.width(), s.height(), s.fps(), plan.spanMillis() / 1000.0));
        for (Layout.Tile tile : tiles) {
            if (tile.fit() == Layout.Fit.FIT) {
                graph.append(String.format(Locale.ROOT, ",drawbox=x=%d:y=%d:w=%d:h=%d:color=black:t=fill",
                        tile.x(), tile.y(), tile.width(), tile.height()));
            }
        }
        graph.append("[bg0]");
        String previous = "bg0";
        int n = 0;
        for (Layout.Tile tile : tiles) {
            int input = cameraInput.get(tile.participantId());
            Compositor.Placement place = Compositor.place(tile, 640, 360);
            graph.append(String.format(Locale.ROOT, ";[%d:v]scale=%d:%d:flags=bilinear,crop=%d:%d:%d:%d[c%d]",
                    input, place.scaledWidth(), place.scaledHeight(), place.width(), place.height(), place.cropX(),
                    place.cropY(), n));
            graph.append(String.format(Locale.ROOT, ";[%s][c%d]overlay=x=%d:y=%d:eof_action=pass", previous, n,
                    place.x(), place.y()));
            int size = Compositor.labelFontSize(tile);
            int pad = size / 3;
            graph.append(String.format(Locale.ROOT, ",drawtext=fontfile=%s:text='%s':fontsize=%d:fontcolor=white"
                            + ":box=1:boxcolor=black@0.6:boxborderw=%d:x=%d:y=%d", FONT,
                    names.get(tile.participantId()).replace("'", ""), size, pad, tile.x() + 2 * pad,
                    tile.y() + tile.height() - 2 * pad - size));
            previous = "v" + n;
            graph.append('[').append(previous).append(']');
            n++;
        }
        graph.append(';');
        for (int input : audioInputs) {
            graph.append('[').append(input).append(":a]");
        }
        graph.append("amix=inputs=").append(audioInputs.size()).append(":normalize=0:duration=longest")
                .append(",aformat=sample_rates=").append(s.sampleRate()).append(":channel_layouts=stereo[aout]");
        command.addAll(List.of("-filter_complex", graph.toString(), "-map", "[" + previous + "]", "-map", "[aout]",
                "-t", String.format(Locale.ROOT, "%.3f", plan.spanMillis() / 1000.0)));
        command.addAll(compositor.ffmpegOutputArguments());
        command.add(output.toString());
        return command;
    }

    // ---- rooms_per_core ----

    private static double roomsPerCore(String ffmpeg, Path dir, int rooms, int roomSeconds, int runs)
            throws Exception {
        Path video = dir.resolve("room-720p.webm");
        System.err.println("generating " + roomSeconds + " s of 720p30 VP8 at ~1.5 Mbit/s ...");
        exec(List.of(ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=1280x720:rate=30", "-t", Integer.toString(roomSeconds), "-c:v", "libvpx", "-b:v",
                "1500k", "-minrate", "1500k", "-maxrate", "1500k", "-deadline", "realtime", "-cpu-used", "8",
                "-g", "60", video.toString()));
        List<RtpRecord> packets = vp8Rtp(video);
        long bytes = packets.stream().mapToLong(p -> p.payload().length).sum();
        System.err.printf(Locale.ROOT, "%d RTP packets per track, %.2f Mbit/s%n", packets.size(),
                bytes * 8 / 1e6 / roomSeconds);
        System.err.println("starting a temporary platform (tribune up) ...");
        try (TemporaryPlatform platform = TemporaryPlatform.fresh()) {
            platform.start();
            long pid = platform.servicePid("io.tribune.recording.RecordingArchiveApplication");
            JsonNode config = platform.serviceConfig("recording-archive.yml");
            int admin = config.path("server").path("adminConnectors").path(0).path("port").asInt();
            String bootstrap = config.path("kafka").path("bootstrapServers").asText();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 262_144),
                    new StringSerializer(), new ByteArraySerializer())) {
                System.err.println("warm-up: one room ...");
                archive(producer, pid, admin, packets, 1, roomSeconds);
                List<Double> perCore = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    double cpu = archive(producer, pid, admin, packets, rooms, roomSeconds);
                    double value = rooms * roomSeconds / cpu;
                    perCore.add(value);
                    System.err.printf(Locale.ROOT, "rooms run %d/%d: %d rooms x %d s archived in %.2f CPU-s of the"
                            + " archive: %.1f rooms per core%n", run, runs, rooms, roomSeconds, cpu, value);
                }
                return Benchmarks.median(perCore);
            }
        }
    }

    /**
     * {@code --rooms-in-process}: the archive's own per-track work without Kafka, PostgreSQL and S3 (for a machine
     * too loaded to start a whole platform): each record decoded from its wire form as the consumer does, then
     * reorder, depacketize and write the WebM through {@link io.tribune.recording.core.TrackRecorder}; CPU time of
     * this thread. An upper bound for {@code rooms_per_core}: the consumer's fetches and the upload are not in it.
     */
    private static double roomsPerCoreInProcess(String ffmpeg, Path dir, int rooms, int roomSeconds, int runs)
            throws Exception {
        Path video = dir.resolve("room-720p.webm");
        System.err.println("generating " + roomSeconds + " s of 720p30 VP8 at ~1.5 Mbit/s ...");
        exec(List.of(ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=1280x720:rate=30", "-t", Integer.toString(roomSeconds), "-c:v", "libvpx", "-b:v",
                "1500k", "-minrate", "1500k", "-maxrate", "1500k", "-deadline", "realtime", "-cpu-used", "8",
                "-g", "60", video.toString()));
        List<byte[]> wire = new ArrayList<>();
        for (RtpRecord p : vp8Rtp(video)) {
            wire.add(p.encode());
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Double> perCore = new ArrayList<>();
        for (int run = 0; run <= runs; run++) {
            List<io.tribune.recording.core.TrackRecorder> recorders = new ArrayList<>();
            for (int k = 0; k < rooms * 3; k++) {
                io.tribune.recording.core.TrackInfo info = new io.tribune.recording.core.TrackInfo("m:" + k, "m",
                        "video-" + k, "rec", "video", io.tribune.recording.mux.TrackCodec.VP8, 90_000, 96, "p", "P",
                        "camera");
                recorders.add(new io.tribune.recording.core.TrackRecorder(info, dir.resolve("archive")
                        .resolve("video-" + k + ".webm"), 128, 4 << 20));
            }
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (byte[] record : wire) {
                for (io.tribune.recording.core.TrackRecorder recorder : recorders) {
                    recorder.accept(RtpRecord.decode(record));
                }
            }
            for (io.tribune.recording.core.TrackRecorder recorder : recorders) {
                if (recorder.finish() != io.tribune.recording.core.TrackRecorder.Outcome.WRITTEN) {
                    throw new IllegalStateException("a track was not written: " + recorder.failure());
                }
            }
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            double value = rooms * roomSeconds / cpu;
            if (run == 0) {
                System.err.printf(Locale.ROOT, "warm-up: %.1f rooms per core%n", value);
                continue;
            }
            perCore.add(value);
            System.err.printf(Locale.ROOT, "rooms run %d/%d (in process): %d rooms x %d s in %.2f CPU-s: %.1f rooms"
                    + " per core%n", run, runs, rooms, roomSeconds, cpu, value);
        }
        return Benchmarks.median(perCore);
    }

    /** Publishes {@code rooms} rooms of three tracks each; returns the archive's CPU seconds until all are stored. */
    private static double archive(KafkaProducer<String, byte[]> producer, long pid, int admin,
                                  List<RtpRecord> packets, int rooms, int roomSeconds) throws Exception {
        long storedBefore = counter(admin, "tribune.recording_archive.tracks_stored");
        double cpuBefore = ProcessCpu.seconds(pid);
        long base = System.currentTimeMillis() * 1000;
        List<String> keys = new ArrayList<>();
        List<Long> ssrcs = new ArrayList<>();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        for (int room = 0; room < rooms; room++) {
            String meetingId = "bench-" + tag + "-" + room;
            String recordingId = "rec-" + tag + "-" + room;
            publish(producer, new RecordingEvents.Started(meetingId, recordingId, "bench", Instant.now()));
            for (int t = 0; t < 3; t++) {
                String trackId = "video-" + t;
                long ssrc = 1000L * room + t + 1;
                publish(producer, new MediaEvents.VideoTrackStarted(meetingId, trackId, "p-" + t, "Bench " + t, ssrc,
                        "vp8", 90_000, 96, "camera", Instant.now(), recordingId));
                keys.add(meetingId + ":" + trackId);
                ssrcs.add(ssrc);
            }
        }
        List<Future<?>> sent = new ArrayList<>();
        for (RtpRecord p : packets) {
            for (int k = 0; k < keys.size(); k++) {
                RtpRecord record = new RtpRecord(base + p.arrivalMicros(), ssrcs.get(k), p.payloadType(),
                        p.sequence(), p.timestamp(), p.marker(), p.payload());
                sent.add(producer.send(new ProducerRecord<>(Topics.MEDIA_VIDEO, keys.get(k), record.encode())));
            }
            if (sent.size() > 20_000) {
                for (Future<?> f : sent) {
                    f.get(60, TimeUnit.SECONDS);
                }
                sent.clear();
            }
        }
        for (Future<?> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
        for (String key : keys) {
            String meetingId = key.substring(0, key.indexOf(':'));
            publish(producer, new MediaEvents.VideoTrackEnded(meetingId, key.substring(key.indexOf(':') + 1),
                    Instant.now(), "rec-" + meetingId.substring("bench-".length())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (counter(admin, "tribune.recording_archive.tracks_stored") < storedBefore + keys.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the archive did not store " + keys.size() + " tracks in 600 s");
            }
            Thread.sleep(100);
        }
        return ProcessCpu.seconds(pid) - cpuBefore;
    }

    /** RFC 7741 VP8 RTP from a WebM file: descriptor byte S=1 on a frame's first packet, PID 0; arrival = pts. */
    static List<RtpRecord> vp8Rtp(Path file) throws Exception {
        List<RtpRecord> records = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            AVRational timeBase = grabber.getFormatContext().streams(0).time_base();
            int sequence = 0;
            AVPacket packet;
            while ((packet = grabber.grabPacket()) != null) {
                byte[] frame = new byte[packet.size()];
                packet.data().get(frame);
                long micros = packet.pts() * 1_000_000L * timeBase.num() / timeBase.den();
                for (int offset = 0; offset < frame.length; offset += MTU_PAYLOAD) {
                    int length = Math.min(MTU_PAYLOAD, frame.length - offset);
                    ByteBuffer payload = ByteBuffer.allocate(length + 1);
                    payload.put((byte) (offset == 0 ? 0x10 : 0x00));
                    payload.put(frame, offset, length);
                    records.add(new RtpRecord(micros, 1, 96, sequence++ & 0xFFFF, micros * 90 / 1000,
                            offset + length >= frame.length, payload.array()));
                }
            }
        }
        return records;
    }

    private static void publish(KafkaProducer<String, byte[]> producer, EventData data) throws Exception {
        Event event = Event.of(data, Instant.now());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                .get(30, TimeUnit.SECONDS);
    }

    /** A Dropwizard counter from the archive's admin /metrics. */
    private static long counter(int port, String name) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new ObjectMapper().readTree(body).path("counters").path(name).path("count").asLong(0);
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish in 600 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("failed (" + process.exitValue() + "): " + String.join(" ", command) + "\n"
                    + new String(output, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Two decimals, or {@code skipped} for a part that was left out (NaN). */
    private static String figure(double value) {
        return Double.isNaN(value) ? "skipped" : String.format(Locale.ROOT, "%.2f", value);
    }
}
