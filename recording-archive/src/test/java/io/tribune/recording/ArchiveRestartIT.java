package io.tribune.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.events.Event;
import io.tribune.events.MediaEvents;
import io.tribune.events.RecordingEvents;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import io.tribune.recording.core.Archiver;
import io.tribune.recording.mux.Ffprobe;
import io.tribune.recording.storage.ObjectStore;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Nothing lost, nothing twice: the archive is killed with SIGKILL in the middle of a recording and started again.
 * The restarted process must read the open tracks again from their start, store each once, complete, and report
 * the recording once; a multipart upload a dead process left behind is aborted at start.
 */
@ExtendWith(PlatformExtension.class)
class ArchiveRestartIT {

    private static final int SECONDS = 6;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void killedMidRecordingThenRestartedStoresEachTrackOnceAndComplete() throws Exception {
        String meetingId = "m-" + UUID.randomUUID();
        String recordingId = "r-" + UUID.randomUUID();
        List<RtpRecord> camera = GstRtpStreams.vp8(dir, SECONDS, 1111);
        List<RtpRecord> microphone = GstRtpStreams.opus(dir, SECONDS, 2222);
        Path log = dir.resolve("archive.log");

        try (ArchiveHarness harness = new ArchiveHarness()) {
            int port = freePort();
            // Tracks end by their Ended events here, never by the idle timeout, however slow the machine.
            String idle = "archive.trackIdleTimeout=120 seconds";
            // The group hands the killed member's partitions on after its session timeout.
            String session = "kafka.sessionTimeout=10 seconds";
            Process first = harness.startChild(dir.resolve("work"), port, log, idle, session);
            awaitCondition("the first archive process to be healthy", Duration.ofSeconds(180), log,
                    () -> healthy(port));

            // A multipart upload a previous process started and never finished.
            String staleKey = "recordings/" + recordingId + "/tracks/stale.webm";
            String staleUpload = harness.s3.createMultipartUpload(b -> b.bucket(harness.bucket).key(staleKey))
                    .uploadId();
            harness.s3.uploadPart(b -> b.bucket(harness.bucket).key(staleKey).uploadId(staleUpload).partNumber(1),
                    RequestBody.fromBytes(new byte[] {1, 2, 3}));
            sql(harness, "INSERT INTO recording_archive.uploads (upload_id, bucket, object_key, recording_id,"
                    + " track_id) VALUES ('" + staleUpload + "', '" + harness.bucket + "', '" + staleKey + "', '"
                    + recordingId + "', 'stale')");

            // And one whose process died between S3 creating it and the id being saved: only the key is known.
            String orphanKey = "recordings/" + recordingId + "/tracks/orphan.webm";
            String orphanUpload = harness.s3.createMultipartUpload(b -> b.bucket(harness.bucket).key(orphanKey))
                    .uploadId();
            sql(harness, "INSERT INTO recording_archive.uploads (bucket, object_key, recording_id, track_id) VALUES ('"
                    + harness.bucket + "', '" + orphanKey + "', '" + recordingId + "', 'orphan')");

            Instant now = Instant.now();
            harness.publish(new RecordingEvents.Started(meetingId, recordingId, "host-1", now));
            harness.publish(new MediaEvents.VideoTrackStarted(meetingId, "camera-1", "p-1", "Ada", 1111, "vp8",
                    90_000, GstRtpStreams.VP8_PT, "camera", now, recordingId));
            harness.publish(new MediaEvents.AudioTrackStarted(meetingId, "mic-1", "p-1", "Ada", 2222, "opus",
                    48_000, GstRtpStreams.OPUS_PT, now, recordingId));
            int cameraHalf = camera.size() / 2;
            int micHalf = microphone.size() / 2;
            harness.publishPackets(Topics.MEDIA_VIDEO, meetingId + ":camera-1", camera.subList(0, cameraHalf));
            harness.publishPackets(Topics.MEDIA_AUDIO, meetingId + ":mic-1", microphone.subList(0, micHalf));
            awaitCondition("the first process to take half of the packets", Duration.ofSeconds(120), log,
                    () -> counter(port, Archiver.METRIC_PREFIX + "packets") >= cameraHalf + micHalf);
            assertThat(trackStatuses(harness, recordingId)).containsExactly("open", "open");

            assertThat(pendingUploads(harness)).contains(staleUpload, orphanUpload);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no trailer
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

            int secondPort = freePort();
            harness.startChild(dir.resolve("work"), secondPort, log, idle, session);
            harness.publishPackets(Topics.MEDIA_VIDEO, meetingId + ":camera-1",
                    camera.subList(cameraHalf, camera.size()));
            harness.publishPackets(Topics.MEDIA_AUDIO, meetingId + ":mic-1",
                    microphone.subList(micHalf, microphone.size()));
            harness.publish(new MediaEvents.VideoTrackEnded(meetingId, "camera-1", Instant.now(), recordingId));
            harness.publish(new MediaEvents.AudioTrackEnded(meetingId, "mic-1", Instant.now(), recordingId));
            harness.publish(new RecordingEvents.Stopped(meetingId, recordingId, "host-1", Instant.now()));

            // The group waits for the killed member's session to expire (10 s) before the new one gets partitions.
            Event result = harness.awaitResult(recordingId, Duration.ofSeconds(240));
            assertThat(result.data()).isInstanceOf(RecordingEvents.Ready.class);
            RecordingEvents.Ready ready = (RecordingEvents.Ready) result.data();
            assertThat(ready.files()).filteredOn(f -> f.kind().equals("track"))
                    .extracting(RecordingEvents.StoredFile::trackId).containsExactlyInAnyOrder("camera-1", "mic-1");
            assertThat(ready.files()).extracting(RecordingEvents.StoredFile::kind).contains("composed");
            for (RecordingEvents.StoredFile file : ready.files()) {
                if (!file.kind().equals("track")) {
                    continue;
                }
                Path local = harness.download(file.objectKey(), dir);
                assertThat(ObjectStore.sha256(local)).isEqualTo(file.sha256());
                Ffprobe.Stream stream = Ffprobe.probe(local);
                assertThat(stream.codec()).isEqualTo(file.trackId().equals("camera-1") ? "vp8" : "opus");
                assertThat(stream.durationSeconds()).isCloseTo(SECONDS, offset(1.0));
                assertThat(Ffprobe.decodeErrors(local)).isEmpty();
            }
            assertThat(counter(secondPort, Archiver.METRIC_PREFIX + "packets_lost")).isZero();
            assertThat(counter(secondPort, Archiver.METRIC_PREFIX + "frames_dropped")).isZero();
            assertThat(trackStatuses(harness, recordingId)).containsExactly("stored", "stored");

            // The stale upload was aborted at start, and nothing else is left half-uploaded.
            assertThat(count(harness, "SELECT count(*) FROM recording_archive.uploads")).isZero();
            assertThat(pendingUploads(harness)).isEmpty();

            // Reported once.
            Thread.sleep(3_000);
            assertThat(harness.results(recordingId)).hasSize(1);
        } catch (AssertionError | Exception e) {
            System.err.println("archive log (tail):\n" + tail(log));
            throw e;
        }
    }

    /** Multipart uploads the bucket holds open. */
    private static List<String> pendingUploads(ArchiveHarness harness) {
        return harness.s3.listMultipartUploads(b -> b.bucket(harness.bucket)).uploads().stream()
                .map(software.amazon.awssdk.services.s3.model.MultipartUpload::uploadId).toList();
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

    /** A Dropwizard counter from the admin port's /metrics, or -1 when the process does not answer. */
    private static long counter(int port, String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode count = new ObjectMapper().readTree(body).path("counters").path(name).path("count");
            return count.isMissingNode() ? -1 : count.asLong();
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
            Thread.sleep(250);
        }
    }

    private static List<String> trackStatuses(ArchiveHarness harness, String recordingId) throws Exception {
        List<String> statuses = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(harness.jdbcUrl, harness.urls.dbUser(),
                harness.urls.dbPassword());
             PreparedStatement st = c.prepareStatement("SELECT status FROM recording_archive.tracks"
                     + " WHERE recording_id = ? ORDER BY track_id")) {
            st.setString(1, recordingId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    statuses.add(rs.getString(1));
                }
            }
        }
        return statuses;
    }

    private static long count(ArchiveHarness harness, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(harness.jdbcUrl, harness.urls.dbUser(),
                harness.urls.dbPassword());
             ResultSet rs = c.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(ArchiveHarness harness, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(harness.jdbcUrl, harness.urls.dbUser(),
                harness.urls.dbPassword())) {
            c.createStatement().execute(statement);
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
