package io.tribune.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.tribune.events.Event;
import io.tribune.events.MediaEvents;
import io.tribune.events.RecordingEvents;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import io.tribune.recording.core.Archiver;
import io.tribune.recording.mux.Ffprobe;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording with stored tracks is never lost because composing failed, and a render cut short by a crash is done
 * again after the restart and reported once.
 */
@ExtendWith(PlatformExtension.class)
class RenderRecoveryIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void reportsTheTrackFilesOnlyWhenComposingFailsEveryAttempt() throws Exception {
        String meetingId = "m-" + UUID.randomUUID();
        String recordingId = "r-" + UUID.randomUUID();
        List<RtpRecord> camera = GstRtpStreams.vp8(dir, 2, 1111);
        try (ArchiveHarness harness = new ArchiveHarness()) {
            // An encoder option the encoder refuses: every render attempt fails when the encoder opens.
            DropwizardTestSupport<RecordingArchiveConfiguration> archive = harness.startInProcess(dir.resolve("work"),
                    "render.videoOptions.profile=no_such_profile", "render.maxAttempts=2",
                    "render.retryBackoff=500 milliseconds");
            recordCamera(harness, meetingId, recordingId, camera);

            Event result = harness.awaitResult(recordingId, Duration.ofSeconds(180));
            RecordingEvents.Ready ready = (RecordingEvents.Ready) result.data();
            assertThat(ready.files()).extracting(RecordingEvents.StoredFile::kind).containsExactly("track");
            assertThat(ready.files().get(0).objectKey()).isEqualTo("recordings/" + recordingId
                    + "/tracks/camera-1.webm");
            assertThat(ready.sha256()).isNull();
            // The shared topics also bring earlier tests' recordings to this archive: count only this one's attempts.
            MetricRegistry metrics = archive.getEnvironment().metrics();
            assertThat(row(harness, recordingId, "render_attempts")).isEqualTo("2");
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "renders_given_up").getCount()).isPositive();
            assertThat(row(harness, recordingId, "status")).isEqualTo("ready");
            assertThat(row(harness, recordingId, "reason")).contains("composed file missing after 2 render attempts");
            Thread.sleep(2_000);
            assertThat(harness.results(recordingId)).hasSize(1);
        }
    }

    @Test
    void aRenderKilledMidwayIsRenderedAgainAfterTheRestartAndReportedOnce() throws Exception {
        int seconds = 20;
        String meetingId = "m-" + UUID.randomUUID();
        String recordingId = "r-" + UUID.randomUUID();
        List<RtpRecord> camera = GstRtpStreams.vp8(dir, seconds, 1111);
        Path log = dir.resolve("archive.log");
        try (ArchiveHarness harness = new ArchiveHarness()) {
            String claim = "render.claimTimeout=4 seconds";
            String session = "kafka.sessionTimeout=10 seconds";
            int port = freePort();
            Process first = harness.startChild(dir.resolve("work"), port, log, claim, session);
            awaitCondition("the first archive process to be healthy", Duration.ofSeconds(180), log,
                    () -> healthy(port));
            recordCamera(harness, meetingId, recordingId, camera);
            awaitCondition("the render to be under way", Duration.ofSeconds(240), log,
                    () -> gauge(port, Archiver.METRIC_PREFIX + "render_progress_percent") > 5);
            first.destroyForcibly(); // SIGKILL mid-render
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(row(harness, recordingId, "status")).isEqualTo("rendering");
            assertThat(harness.results(recordingId)).isEmpty();

            int secondPort = freePort();
            harness.startChild(dir.resolve("work"), secondPort, log, claim, session);
            Event result = harness.awaitResult(recordingId, Duration.ofSeconds(300));
            RecordingEvents.Ready ready = (RecordingEvents.Ready) result.data();
            RecordingEvents.StoredFile composed = ready.files().stream().filter(f -> f.kind().equals("composed"))
                    .findFirst().orElseThrow();
            Path mp4 = harness.download(composed.objectKey(), dir);
            assertThat(Ffprobe.probeAll(mp4).durationSeconds()).isCloseTo(seconds, offset(1.0));
            assertThat(ready.sha256()).isEqualTo(composed.sha256());
            // A crash is not a failed attempt.
            assertThat(row(harness, recordingId, "render_attempts")).isEqualTo("0");
            assertThat(harness.s3.listMultipartUploads(b -> b.bucket(harness.bucket)).uploads()).isEmpty();
            Thread.sleep(3_000);
            assertThat(harness.results(recordingId)).hasSize(1);
        } catch (AssertionError | Exception e) {
            System.err.println("archive log (tail):\n" + tail(log));
            throw e;
        }
    }

    private static void recordCamera(ArchiveHarness harness, String meetingId, String recordingId,
                                     List<RtpRecord> camera) throws Exception {
        Instant now = Instant.now();
        harness.publish(new RecordingEvents.Started(meetingId, recordingId, "host-1", now));
        harness.publish(new MediaEvents.VideoTrackStarted(meetingId, "camera-1", "p-1", "Ada", 1111, "VP8", 90_000,
                GstRtpStreams.VP8_PT, "camera", now, recordingId));
        harness.publishPackets(Topics.MEDIA_VIDEO, meetingId + ":camera-1", camera);
        harness.publish(new MediaEvents.VideoTrackEnded(meetingId, "camera-1", Instant.now(), recordingId));
        harness.publish(new RecordingEvents.Stopped(meetingId, recordingId, "host-1", Instant.now()));
    }

    private static String row(ArchiveHarness harness, String recordingId, String column) throws Exception {
        try (Connection c = DriverManager.getConnection(harness.jdbcUrl, harness.urls.dbUser(),
                harness.urls.dbPassword());
             PreparedStatement st = c.prepareStatement("SELECT " + column
                     + "::text FROM recording_archive.recordings WHERE recording_id = ?")) {
            st.setString(1, recordingId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean healthy(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthcheck"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** A Dropwizard gauge from the admin port's /metrics, or -1 when the process does not answer. */
    private static double gauge(int port, String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode value = new ObjectMapper().readTree(body).path("gauges").path(name).path("value");
            return value.isMissingNode() ? -1 : value.asDouble();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitCondition(String what, Duration timeout, Path log, BooleanSupplier condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what + "; log:\n" + tail(log));
            }
            Thread.sleep(200);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
