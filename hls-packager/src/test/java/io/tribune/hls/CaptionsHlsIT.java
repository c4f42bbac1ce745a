package io.tribune.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.Topics;
import io.tribune.hls.captions.CaptionsConsumer;
import io.tribune.hls.ingest.IngestFeeder;
import io.tribune.hls.ingest.SyntheticMedia;
import io.tribune.hls.testing.HlsJsPlayer;
import io.tribune.hls.testing.PlaylistText;
import io.tribune.hls.testing.WebVttText;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Town-hall captions end to end: the packager reads the real (embedded) Kafka's {@code tribune.captions} as its own
 * group, while real H.264 + AAC from ffmpeg is fed in real time; final captions timed inside the stream come out in
 * the subtitles rendition's WebVTT segments, on the video's media timeline.
 */
@ExtendWith(PlatformExtension.class)
class CaptionsHlsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    private static DropwizardTestSupport<HlsPackagerConfiguration> app;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start(PlatformUrls urls) throws Exception {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        // The topic exists before the group subscribes, with a caption for an event this packager does not hold.
        publish("elsewhere-" + UUID.randomUUID(), "u1", "Nobody", "not ours", true, Instant.now(),
                Instant.now().plusMillis(500));
        app = new DropwizardTestSupport<>(HlsPackagerApplication.class,
                ResourceHelpers.resourceFilePath("hls-packager-test.yml"),
                ConfigOverride.config("signatures.required", "false"),
                ConfigOverride.config("storage.enabled", "false"),
                ConfigOverride.config("recordings.enabled", "false"),
                ConfigOverride.config("kafka.bootstrapServers", urls.kafkaBootstrap()),
                // A group of its own per run: the shared platform's topic may hold other tests' captions.
                ConfigOverride.config("kafka.group", "hls-packager-captions-it-" + UUID.randomUUID()));
        app.before();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.after();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    private static HlsPackagerApplication application() {
        return (HlsPackagerApplication) app.getApplication();
    }

    private static URI origin(String path) {
        return URI.create("http://127.0.0.1:" + app.getLocalPort() + path);
    }

    private static HttpResponse<byte[]> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void publish(String meetingId, String phrase, String speaker, String text, boolean isFinal,
                                Instant start, Instant end) throws Exception {
        Event event = Event.of(new CaptionEvents.Caption(meetingId, "participant-1", speaker, "track-1", phrase,
                text, isFinal, 0, Duration.between(start, end).toMillis(), start, end), Instant.now());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                .get(30, TimeUnit.SECONDS);
    }

    private static long counter(String name) {
        MetricRegistry metrics = app.getEnvironment().metrics();
        return metrics.counter(name).getCount();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void finalCaptionsTimedInsideTheStreamAreInTheSubtitleSegmentsAtTheirTimes() throws Exception {
        assumeTrue(SyntheticMedia.ffmpegAvailable(), "needs ffmpeg and ffprobe (Debian package ffmpeg)");
        String eventId = "cc" + Long.toString(System.currentTimeMillis(), 36);
        CaptionsConsumer consumer = application().captions();
        assertThat(consumer).as("kafka configured: the consumer runs").isNotNull();
        await("the captions consumer's partition assignment", Duration.ofSeconds(60),
                () -> consumer.consumer() != null && consumer.consumer().hasAssignment());
        await("the caption of the unknown event", Duration.ofSeconds(30),
                () -> counter(CaptionsConsumer.METRICS + "unknown_event") >= 1);

        Path media = Files.createDirectories(dir.resolve("media"));
        SyntheticMedia.Stream stream = SyntheticMedia.loop(SyntheticMedia.generate(media, 6), 2);
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
            try {
                IngestFeeder.feed(application().ingestServer().port(), eventId, "", stream, 1.0, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // The stream's first capture time, from the first segment's PROGRAM-DATE-TIME: the captions' clock.
        Instant streamStart = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (streamStart == null && System.nanoTime() < deadline) {
            HttpResponse<byte[]> response = get(origin("/hls/" + eventId + "/180p/index.m3u8"));
            if (response.statusCode() == 200) {
                PlaylistText.Media playlist = PlaylistText.media(new String(response.body(),
                        StandardCharsets.UTF_8));
                if (!playlist.segments().isEmpty()) {
                    streamStart = Instant.parse(playlist.segments().get(0).programDateTime());
                }
            }
            if (streamStart == null) {
                Thread.sleep(50);
            }
        }
        assertThat(streamStart).as("first segment's PROGRAM-DATE-TIME").isNotNull();
        long malformedBefore = counter(CaptionsConsumer.METRICS + "malformed");
        long deadLettersBefore = counter(EventConsumer.metricPrefix(consumer.consumer().settings().group())
                + "dead_lettered");

        // Segment 1, the first (0-2 s), is written by now: "late" arrives after it and must come in a later segment.
        publish(eventId, "late", "Ada Lovelace", "welcome everyone", true, streamStart.plusMillis(500),
                streamStart.plusMillis(1500));
        publish(eventId, "across", "Ada Lovelace", "Q&A <after> the talk", true, streamStart.plusMillis(3200),
                streamStart.plusMillis(4400));
        publish(eventId, "ahead", "Grace Hopper", "a later phrase", true, streamStart.plusMillis(8200),
                streamStart.plusMillis(9000));
        publish(eventId, "partial", "Grace Hopper", "a later phr", false, streamStart.plusMillis(8200),
                streamStart.plusMillis(8800));
        // Malformed: not an event at all, and a caption that ends before it starts.
        producer.send(new ProducerRecord<>(Topics.CAPTIONS, eventId, "{not an event".getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
        publish(eventId, "backwards", "Ada Lovelace", "time runs backwards", true, streamStart.plusMillis(7000),
                streamStart.plusMillis(6000));
        feeding.get(60, TimeUnit.SECONDS);

        // After END: every subtitle segment, parsed back.
        PlaylistText.Media subs = PlaylistText.media(new String(get(origin("/hls/" + eventId + "/subs/index.m3u8"))
                .body(), StandardCharsets.UTF_8));
        assertThat(subs.endList()).isTrue();
        assertThat(subs.segments()).hasSizeGreaterThanOrEqualTo(6);
        Map<Long, WebVttText> segments = new LinkedHashMap<>();
        Map<String, List<Long>> where = new LinkedHashMap<>();
        for (PlaylistText.SegmentEntry entry : subs.segments()) {
            HttpResponse<byte[]> response = get(origin("/hls/" + eventId + "/subs/" + entry.uri()));
            assertThat(response.statusCode()).isEqualTo(200);
            WebVttText vtt = WebVttText.parse(response.body());
            // The map points at the video segment's start (pts from 0 on a 90 kHz clock), which is as far into the
            // stream as its PROGRAM-DATE-TIME (to the playlist's millisecond).
            assertThat(vtt.mpegTs()).as("MPEGTS of subs s%d", entry.msn())
                    .isCloseTo(Duration.between(streamStart, Instant.parse(entry.programDateTime())).toMillis() * 90,
                            within(180L));
            segments.put(entry.msn(), vtt);
            for (WebVttText.Cue cue : vtt.cues()) {
                where.computeIfAbsent(cue.id(), id -> new ArrayList<>()).add(entry.msn());
                System.out.printf("subs s%d: %s %.3f-%.3f %s%n", entry.msn(), cue.id(),
                        vtt.mediaSeconds(cue.startMillis()), vtt.mediaSeconds(cue.endMillis()), cue.text());
            }
        }
        assertThat(where.keySet()).containsExactlyInAnyOrder("late", "across", "ahead");

        // Each cue plays at its time in the stream, whichever segment carried it.
        Map<String, double[]> expected = Map.of("late", new double[] {0.5, 1.5}, "across", new double[] {3.2, 4.4},
                "ahead", new double[] {8.2, 9.0});
        for (Map.Entry<String, List<Long>> cue : where.entrySet()) {
            for (long msn : cue.getValue()) {
                WebVttText vtt = segments.get(msn);
                WebVttText.Cue found = vtt.cue(cue.getKey());
                assertThat(vtt.mediaSeconds(found.startMillis())).as("start of %s in s%d", cue.getKey(), msn)
                        .isCloseTo(expected.get(cue.getKey())[0], within(0.003));
                assertThat(vtt.mediaSeconds(found.endMillis())).as("end of %s in s%d", cue.getKey(), msn)
                        .isCloseTo(expected.get(cue.getKey())[1], within(0.003));
            }
        }
        // Placement (segments are numbered from 1: s1 is 0-2 s): published seconds ahead, "ahead" is in exactly the
        // segment it overlaps (8-10 s); "across" is in the segment holding its end (4-6 s), and in 2-4 s too if it
        // came in time; "late" came once, after s1.
        assertThat(where.get("ahead")).containsExactly(5L);
        assertThat(where.get("across")).contains(3L).isSubsetOf(2L, 3L);
        assertThat(where.get("late")).hasSize(1);
        assertThat(where.get("late").get(0)).isGreaterThanOrEqualTo(2L);
        assertThat(segments.get(5L).cue("ahead").text()).isEqualTo("<v Grace Hopper>a later phrase");
        assertThat(segments.get(3L).cue("across").text()).isEqualTo("<v Ada Lovelace>Q&amp;A &lt;after&gt; the talk");

        // Counted, never fatal: the malformed caption, the record that was no event, the partial.
        String deadLettered = EventConsumer.metricPrefix(consumer.consumer().settings().group()) + "dead_lettered";
        await("the malformed records dead-lettered", Duration.ofSeconds(30),
                () -> counter(deadLettered) - deadLettersBefore >= 2);
        assertThat(counter(CaptionsConsumer.METRICS + "malformed") - malformedBefore).isEqualTo(1);
        assertThat(counter(deadLettered) - deadLettersBefore).isEqualTo(2);
        assertThat(counter(CaptionsConsumer.METRICS + "partials")).isGreaterThanOrEqualTo(1);
        assertThat(consumer.consumer().isRunning()).isTrue();
        HttpResponse<byte[]> health = get(URI.create("http://127.0.0.1:" + app.getAdminPort() + "/healthcheck"));
        assertThat(new String(health.body(), StandardCharsets.UTF_8)).contains("\"kafka-consumer\"");
        assertThat(health.statusCode()).isEqualTo(200);
        String prometheus = new String(get(URI.create("http://127.0.0.1:" + app.getAdminPort() + "/prometheus"))
                .body(), StandardCharsets.UTF_8);
        assertThat(prometheus).contains("hls_captions_accepted", "hls_captions_unknown_event");
    }

    /**
     * hls.js 1.4 in headless Chromium (HlsEdgePlaybackIT's pattern) plays a live event with its subtitles track
     * selected: the captions' text shows up in {@code video.textTracks}, each cue at the media time of its
     * wall-clock start (the main fragments' start plus the distance from their PROGRAM-DATE-TIME).
     */
    @Test
    void hlsJsShowsTheCaptionsAsTextTrackCuesAtTheirTimes() throws Exception {
        assumeTrue(SyntheticMedia.ffmpegAvailable(), "needs ffmpeg (Debian package ffmpeg)");
        assumeTrue(HlsJsPlayer.available(), "needs chromium and chromium-driver (Debian packages)");
        String eventId = "cb" + Long.toString(System.currentTimeMillis(), 36);
        CaptionsConsumer consumer = application().captions();
        await("the captions consumer's partition assignment", Duration.ofSeconds(60),
                () -> consumer.consumer() != null && consumer.consumer().hasAssignment());
        Path www = Files.createDirectories(dir.resolve("www"));
        HlsJsPlayer.writePage(www, "player/captions.html");
        Path media = Files.createDirectories(dir.resolve("media-browser"));
        SyntheticMedia.Stream stream = SyntheticMedia.loop(SyntheticMedia.generate(media, 6), 5);

        HttpServer pages = pageServer(www);
        ChromeDriver browser = null;
        boolean described = false;
        try {
            browser = HlsJsPlayer.chromium(dir.resolve("profile"));
            browser.get("http://127.0.0.1:" + pages.getAddress().getPort() + "/index.html");
            CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
                try {
                    IngestFeeder.feed(application().ingestServer().port(), eventId, "", stream, 1.0, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Instant streamStart = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (streamStart == null && System.nanoTime() < deadline) {
                HttpResponse<byte[]> response = get(origin("/hls/" + eventId + "/master.m3u8"));
                if (response.statusCode() == 200) {
                    PlaylistText.Media top = PlaylistText.media(new String(get(origin("/hls/" + eventId
                            + "/180p/index.m3u8")).body(), StandardCharsets.UTF_8));
                    streamStart = Instant.parse(top.segments().get(0).programDateTime());
                } else {
                    Thread.sleep(50);
                }
            }
            assertThat(streamStart).as("the stream started").isNotNull();
            browser.executeScript("start('/hls/" + eventId + "/master.m3u8')");
            // Phrases a few seconds ahead of the live edge, every 4 s, until 26 s into the 30 s stream.
            Map<String, Instant> starts = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                Instant start = streamStart.plusMillis(6_300 + i * 4_000L);
                starts.put("b" + i, start);
                publish(eventId, "b" + i, "Ada Lovelace", "caption number " + i, true, start,
                        start.plusMillis(1_500));
            }

            Map<?, ?> report = null;
            List<?> cues = List.of();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < until) {
                report = (Map<?, ?>) browser.executeScript("return report()");
                cues = (List<?>) report.get("cues");
                if (cues.size() >= 3 || feeding.isDone() && cues.size() >= 1) {
                    break;
                }
                Thread.sleep(500);
            }
            System.out.println("captions player report: " + report);
            HlsJsPlayer.printDiagnostics(browser);
            described = true;
            assertThat(((Number) report.get("subtitleTracks")).intValue()).isEqualTo(1);
            assertThat(cues).as("cues in video.textTracks").hasSizeGreaterThanOrEqualTo(2);
            List<?> fragments = (List<?>) report.get("fragments");
            assertThat(fragments).isNotEmpty();
            Map<?, ?> reference = (Map<?, ?>) fragments.get(0);
            double fragmentStart = ((Number) reference.get("start")).doubleValue();
            long fragmentPdt = ((Number) reference.get("pdt")).longValue();
            for (Object item : cues) {
                Map<?, ?> cue = (Map<?, ?>) item;
                String id = (String) cue.get("id");
                assertThat(starts).as("cue ids are the phrases").containsKey(id);
                assertThat((String) cue.get("text")).isEqualTo("<v Ada Lovelace>caption number " + id.substring(1));
                assertThat(cue.get("mode")).isEqualTo("showing");
                double expected = fragmentStart + (starts.get(id).toEpochMilli() - fragmentPdt) / 1000.0;
                assertThat(((Number) cue.get("start")).doubleValue()).as("media time of %s", id)
                        .isCloseTo(expected, within(0.1));
                assertThat(((Number) cue.get("end")).doubleValue() - ((Number) cue.get("start")).doubleValue())
                        .isCloseTo(1.5, within(0.01));
            }
            feeding.get(60, TimeUnit.SECONDS);
        } finally {
            if (browser != null) {
                if (!described) {
                    HlsJsPlayer.printDiagnostics(browser);
                }
                browser.quit();
            }
            pages.stop(0);
        }
    }

    /** The player page and hls.js, and /hls/ passed through to the origin: one origin for the browser, no CORS. */
    private static HttpServer pageServer(Path www) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                byte[] body;
                int status;
                String type;
                if (path.startsWith("/hls/")) {
                    HttpResponse<byte[]> response = get(origin(exchange.getRequestURI().toString()));
                    status = response.statusCode();
                    body = response.body();
                    type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
                } else {
                    Path file = www.resolve(path.substring(1)).normalize();
                    boolean found = file.startsWith(www) && Files.isRegularFile(file);
                    status = found ? 200 : 404;
                    body = found ? Files.readAllBytes(file) : new byte[0];
                    type = path.endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8";
                }
                exchange.getResponseHeaders().set("Content-Type", type);
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
            } catch (Exception e) {
                exchange.sendResponseHeaders(502, -1);
            }
        });
        server.start();
        return server;
    }
}
