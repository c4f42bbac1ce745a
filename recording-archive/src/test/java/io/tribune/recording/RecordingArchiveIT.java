package io.tribune.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.testing.DropwizardTestSupport;
import io.tribune.common.kafka.DeadLetters;
import io.tribune.events.Event;
import io.tribune.events.MediaEvents;
import io.tribune.events.RecordingEvents;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import io.tribune.recording.core.Archiver;
import io.tribune.recording.mux.Ffprobe;
import io.tribune.recording.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded room as the SFU's tap publishes it (real VP8, Opus and H.264 RTP from GStreamer, as RtpRecords with
 * the track metadata events), with bad input mixed in; the archive must store one playable file per track and
 * report them once.
 */
@ExtendWith(PlatformExtension.class)
class RecordingArchiveIT {

    private static final int SECONDS = 4;

    @TempDir
    Path dir;

    @Test
    void storesOnePlayableFilePerTrackAndReportsTheRecordingReady() throws Exception {
        String meetingId = "m-" + UUID.randomUUID();
        String recordingId = "r-" + UUID.randomUUID();
        List<RtpRecord> camera = GstRtpStreams.vp8(dir, SECONDS, 1111);
        List<RtpRecord> microphone = GstRtpStreams.opus(dir, SECONDS, 2222);
        List<RtpRecord> screen = GstRtpStreams.h264(dir, SECONDS, 3333);

        try (ArchiveHarness harness = new ArchiveHarness()) {
            DropwizardTestSupport<RecordingArchiveConfiguration> archive = harness.startInProcess(dir.resolve("work"));
            Instant now = Instant.now();
            harness.publish(new RecordingEvents.Started(meetingId, recordingId, "host-1", now));
            // Each track as the tap sends it: Started, its packets, Ended. The camera's packets arrive reordered and
            // partly twice, with a packet of a payload type nobody negotiated.
            harness.publish(new MediaEvents.VideoTrackStarted(meetingId, "camera-1", "p-1", "Ada", 1111, "VP8",
                    90_000, GstRtpStreams.VP8_PT, "camera", now, recordingId));
            harness.publishPackets(Topics.MEDIA_VIDEO, meetingId + ":camera-1", shuffled(camera));
            harness.publish(new MediaEvents.VideoTrackEnded(meetingId, "camera-1", Instant.now(), recordingId));
            harness.publish(new MediaEvents.AudioTrackStarted(meetingId, "mic-1", "p-1", "Ada", 2222, "opus",
                    48_000, GstRtpStreams.OPUS_PT, now, recordingId));
            harness.publishPackets(Topics.MEDIA_AUDIO, meetingId + ":mic-1", microphone);
            harness.publish(new MediaEvents.AudioTrackEnded(meetingId, "mic-1", Instant.now(), recordingId));
            // The screen track never ends: the idle timeout (5 s in the test configuration) closes it.
            harness.publish(new MediaEvents.VideoTrackStarted(meetingId, "screen-1", "p-2", "Grace", 3333, "H264",
                    90_000, GstRtpStreams.H264_PT, "screen", now, recordingId));
            harness.publishPackets(Topics.MEDIA_VIDEO, meetingId + ":screen-1", screen);
            // Poison: an RTP record too short for its header, and an event type nobody knows.
            harness.publishRaw(Topics.MEDIA_VIDEO, meetingId + ":camera-1", new byte[] {1, 0, 96});
            harness.publishRaw(Topics.RECORDINGS, meetingId, ("{\"id\":\"" + UUID.randomUUID()
                    + "\",\"type\":\"recording.paused\",\"version\":1,\"time\":\"" + now
                    + "\",\"data\":{}}").getBytes(StandardCharsets.UTF_8));
            harness.publish(new RecordingEvents.Stopped(meetingId, recordingId, "host-1", Instant.now()));

            Event result = harness.awaitResult(recordingId, Duration.ofSeconds(120));
            assertThat(result.data()).isInstanceOf(RecordingEvents.Ready.class);
            RecordingEvents.Ready ready = (RecordingEvents.Ready) result.data();
            assertThat(ready.meetingId()).isEqualTo(meetingId);
            Map<String, RecordingEvents.StoredFile> files = ready.files().stream()
                    .collect(Collectors.toMap(RecordingEvents.StoredFile::trackId, f -> f));
            assertThat(files.keySet()).containsExactlyInAnyOrder("camera-1", "mic-1", "screen-1");
            assertThat(ready.durationMillis()).isBetween((SECONDS - 1) * 1000L, (SECONDS + 1) * 1000L);

            assertStored(harness, files.get("camera-1"), "recordings/" + recordingId + "/tracks/camera-1.webm", "vp8");
            assertStored(harness, files.get("mic-1"), "recordings/" + recordingId + "/tracks/mic-1.webm", "opus");
            assertStored(harness, files.get("screen-1"), "recordings/" + recordingId + "/tracks/screen-1.mkv",
                    "h264");
            assertThat(ready.sizeBytes()).isEqualTo(files.values().stream()
                    .mapToLong(RecordingEvents.StoredFile::sizeBytes).sum());

            MetricRegistry metrics = archive.getEnvironment().metrics();
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "packets_duplicate").getCount()).isPositive();
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "packets_unknown_payload_type").getCount())
                    .isEqualTo(1);
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "packets_lost").getCount()).isZero();
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "tracks_timed_out").getCount()).isEqualTo(1);

            List<ConsumerRecord<String, byte[]>> letters = ArchiveHarness.readAll(harness.urls.kafkaBootstrap(),
                    Topics.deadLetter(harness.group), r -> true);
            assertThat(letters).extracting(r -> new String(r.headers().lastHeader(DeadLetters.REASON).value(),
                    StandardCharsets.UTF_8)).anySatisfy(reason -> assertThat(reason).startsWith("malformed RTP"))
                    .anySatisfy(reason -> assertThat(reason).startsWith("undecodable"));

            // Reported once, even though the worker keeps reading.
            Thread.sleep(2_000);
            assertThat(harness.results(recordingId)).hasSize(1);
        }
    }

    private void assertStored(ArchiveHarness harness, RecordingEvents.StoredFile file, String key, String codec)
            throws Exception {
        assertThat(file.objectKey()).isEqualTo(key);
        Path local = harness.download(key, dir);
        assertThat(java.nio.file.Files.size(local)).isEqualTo(file.sizeBytes());
        assertThat(ObjectStore.sha256(local)).isEqualTo(file.sha256());
        assertThat(harness.s3.headObject(b -> b.bucket(harness.bucket).key(key)).metadata())
                .containsEntry(ObjectStore.SHA256_METADATA, file.sha256());
        Ffprobe.Stream stream = Ffprobe.probe(local);
        assertThat(stream.codec()).isEqualTo(codec);
        assertThat(stream.durationSeconds()).isCloseTo(SECONDS, offset(1.0));
        assertThat(Ffprobe.decodeErrors(local)).isEmpty();
    }

    /** Neighbours swapped, every tenth packet twice, one packet of payload type 99 in the middle. */
    private static List<RtpRecord> shuffled(List<RtpRecord> packets) {
        List<RtpRecord> out = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            if (i % 7 == 0 && i + 1 < packets.size()) {
                out.add(packets.get(i + 1));
                out.add(packets.get(i));
                i++;
            } else {
                out.add(packets.get(i));
            }
            if (i % 10 == 0) {
                out.add(packets.get(i));
            }
        }
        RtpRecord p = packets.get(packets.size() / 2);
        out.add(out.size() / 2, new RtpRecord(p.arrivalMicros(), p.ssrc(), 99, 1234, p.timestamp(), false,
                new byte[] {1, 2}));
        return out;
    }
}
