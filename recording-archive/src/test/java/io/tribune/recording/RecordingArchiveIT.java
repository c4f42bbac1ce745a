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
 * the track metadata events), with bad input mixed in; the archive must store one playable file per track, render
 * the composed MP4 with its poster and thumbnails, and report them once.
 */
@ExtendWith(PlatformExtension.class)
class RecordingArchiveIT {

    private static final int SECONDS = 4;

    @TempDir
    Path dir;

    @Test
    void storesOnePlayableFilePerTrackAndTheComposedRecordingAndReportsItReady() throws Exception {
        String meetingId = "m-" + UUID.randomUUID();
        String recordingId = "r-" + UUID.randomUUID();
        // Three participants on the SFU's clock: Ada (camera and a loud microphone) from 0 to 4 s, Grace sharing
        // her screen (H.264) from 0 to 4 s and speaking quietly from 1 s to 4 s, Edsger (camera only) joining at 2 s
        // and staying until 6 s. The recorded span is 0 to 6 s.
        long t0 = System.currentTimeMillis() * 1000;
        List<RtpRecord> camera = GstRtpStreams.arrivingFrom(GstRtpStreams.vp8(dir, SECONDS, 1111), t0);
        List<RtpRecord> microphone = GstRtpStreams.arrivingFrom(GstRtpStreams.opus(dir, SECONDS, 2222), t0);
        List<RtpRecord> screen = GstRtpStreams.arrivingFrom(GstRtpStreams.h264(dir, SECONDS, 3333), t0);
        List<RtpRecord> graceMic = GstRtpStreams.arrivingFrom(GstRtpStreams.opus(dir, 3, 4444, 660, 0.05),
                t0 + 1_000_000);
        List<RtpRecord> edsger = GstRtpStreams.arrivingFrom(GstRtpStreams.vp8(dir, 4, 5555), t0 + 2_000_000);

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
            // The screen track never ends: the idle timeout (5 s in the test configuration) closes it. (Tracks go out in the order
            // they start, as the tap would interleave them: the archive judges idleness on the SFU's clock.)
            harness.publish(new MediaEvents.VideoTrackStarted(meetingId, "screen-1", "p-2", "Grace", 3333, "H264",
                    90_000, GstRtpStreams.H264_PT, "screen", now, recordingId));
            harness.publishPackets(Topics.MEDIA_VIDEO, meetingId + ":screen-1", screen);
            harness.publish(new MediaEvents.AudioTrackStarted(meetingId, "mic-1", "p-1", "Ada", 2222, "opus",
                    48_000, GstRtpStreams.OPUS_PT, now, recordingId));
            harness.publishPackets(Topics.MEDIA_AUDIO, meetingId + ":mic-1", microphone);
            harness.publish(new MediaEvents.AudioTrackEnded(meetingId, "mic-1", Instant.now(), recordingId));
            harness.publish(new MediaEvents.AudioTrackStarted(meetingId, "mic-2", "p-2", "Grace", 4444, "opus",
                    48_000, GstRtpStreams.OPUS_PT, now, recordingId));
            harness.publishPackets(Topics.MEDIA_AUDIO, meetingId + ":mic-2", graceMic);
            harness.publish(new MediaEvents.AudioTrackEnded(meetingId, "mic-2", Instant.now(), recordingId));
            harness.publish(new MediaEvents.VideoTrackStarted(meetingId, "camera-3", "p-3", "Edsger", 5555, "VP8",
                    90_000, GstRtpStreams.VP8_PT, "camera", now, recordingId));
            harness.publishPackets(Topics.MEDIA_VIDEO, meetingId + ":camera-3", edsger);
            harness.publish(new MediaEvents.VideoTrackEnded(meetingId, "camera-3", Instant.now(), recordingId));
            // Poison: an RTP record too short for its header, and an event type nobody knows.
            harness.publishRaw(Topics.MEDIA_VIDEO, meetingId + ":camera-1", new byte[] {1, 0, 96});
            harness.publishRaw(Topics.RECORDINGS, meetingId, ("{\"id\":\"" + UUID.randomUUID()
                    + "\",\"type\":\"recording.paused\",\"version\":1,\"time\":\"" + now
                    + "\",\"data\":{}}").getBytes(StandardCharsets.UTF_8));
            harness.publish(new RecordingEvents.Stopped(meetingId, recordingId, "host-1", Instant.now()));

            Event result = harness.awaitResult(recordingId, Duration.ofSeconds(240));
            assertThat(result.data()).isInstanceOf(RecordingEvents.Ready.class);
            RecordingEvents.Ready ready = (RecordingEvents.Ready) result.data();
            assertThat(ready.meetingId()).isEqualTo(meetingId);
            Map<String, RecordingEvents.StoredFile> files = ready.files().stream()
                    .filter(f -> f.kind().equals("track"))
                    .collect(Collectors.toMap(RecordingEvents.StoredFile::trackId, f -> f));
            assertThat(files.keySet()).containsExactlyInAnyOrder("camera-1", "mic-1", "mic-2", "camera-3",
                    "screen-1");

            // Each track file carries when its first frame reached the SFU: Grace's microphone 1 s and Edsger's
            // camera 2 s after the others (what places a late joiner's transcript on the recording's timeline).
            Instant start = Instant.EPOCH.plus(t0, java.time.temporal.ChronoUnit.MICROS);
            assertThat(Duration.between(start, files.get("mic-1").startedAt()).abs().toMillis()).isLessThan(100);
            assertThat(Duration.between(start.plusSeconds(1), files.get("mic-2").startedAt()).abs().toMillis())
                    .isLessThan(100);
            assertThat(Duration.between(start.plusSeconds(2), files.get("camera-3").startedAt()).abs().toMillis())
                    .isLessThan(100);
            assertStored(harness, files.get("camera-1"), "recordings/" + recordingId + "/tracks/camera-1.webm", "vp8",
                    SECONDS);
            assertStored(harness, files.get("mic-1"), "recordings/" + recordingId + "/tracks/mic-1.webm", "opus",
                    SECONDS);
            assertStored(harness, files.get("screen-1"), "recordings/" + recordingId + "/tracks/screen-1.mkv",
                    "h264", SECONDS);
            assertStored(harness, files.get("camera-3"), "recordings/" + recordingId + "/tracks/camera-3.webm",
                    "vp8", 4);

            // The composed recording: H.264 + AAC, moov first, as long as the recorded span (0 to 6 s).
            Map<String, RecordingEvents.StoredFile> view = ready.files().stream()
                    .filter(f -> !f.kind().equals("track"))
                    .collect(Collectors.toMap(RecordingEvents.StoredFile::kind, f -> f));
            assertThat(view.keySet()).containsExactlyInAnyOrder("composed", "poster", "thumbnails",
                    "thumbnails_vtt");
            RecordingEvents.StoredFile composed = view.get("composed");
            assertThat(composed.objectKey()).isEqualTo("recordings/" + recordingId + "/view/recording.mp4");
            assertThat(composed.contentType()).isEqualTo("video/mp4");
            assertThat(ready.sha256()).isEqualTo(composed.sha256());
            assertThat(ready.sizeBytes()).isEqualTo(composed.sizeBytes());
            assertThat(ready.durationMillis()).isCloseTo(6_000L, offset(1_000L));
            Path mp4 = harness.download(composed.objectKey(), dir);
            assertThat(ObjectStore.sha256(mp4)).isEqualTo(composed.sha256());
            Ffprobe.Streams probe = Ffprobe.probeAll(mp4);
            assertThat(probe.has("video", "h264")).as("%s", probe).isTrue();
            assertThat(probe.has("audio", "aac")).as("%s", probe).isTrue();
            assertThat(probe.durationSeconds()).isCloseTo(6.0, offset(1.0));
            List<String> boxes = Ffprobe.topLevelBoxes(mp4);
            assertThat(boxes.indexOf("moov")).as("%s", boxes).isNotNegative().isLessThan(boxes.indexOf("mdat"));
            assertThat(Ffprobe.decodeErrors(mp4)).isEmpty();
            assertThat(harness.s3.headObject(b -> b.bucket(harness.bucket).key(composed.objectKey())).contentType())
                    .isEqualTo("video/mp4");

            RecordingEvents.StoredFile poster = view.get("poster");
            assertThat(poster.objectKey()).isEqualTo("recordings/" + recordingId + "/view/poster.jpg");
            assertThat(javax.imageio.ImageIO.read(harness.download(poster.objectKey(), dir).toFile()).getWidth())
                    .isEqualTo(1280);
            RecordingEvents.StoredFile sprite = view.get("thumbnails");
            assertThat(sprite.objectKey()).isEqualTo("recordings/" + recordingId + "/view/thumbnails.jpg");
            java.awt.image.BufferedImage spriteImage = javax.imageio.ImageIO.read(
                    harness.download(sprite.objectKey(), dir).toFile());
            RecordingEvents.StoredFile vtt = view.get("thumbnails_vtt");
            assertThat(vtt.objectKey()).isEqualTo("recordings/" + recordingId + "/view/thumbnails.vtt");
            assertThat(vtt.contentType()).isEqualTo("text/vtt");
            List<String> cues = java.nio.file.Files.readAllLines(harness.download(vtt.objectKey(), dir)).stream()
                    .filter(line -> line.contains("#xywh=")).toList();
            assertThat(java.nio.file.Files.readString(harness.download(vtt.objectKey(), dir))).startsWith("WEBVTT");
            assertThat(cues).hasSize(2).allSatisfy(cue -> {
                assertThat(cue).startsWith("thumbnails.jpg#xywh=");
                String[] xywh = cue.substring(cue.indexOf('=') + 1).split(",");
                assertThat(Integer.parseInt(xywh[0]) + Integer.parseInt(xywh[2])).isLessThanOrEqualTo(
                        spriteImage.getWidth());
                assertThat(Integer.parseInt(xywh[1]) + Integer.parseInt(xywh[3])).isLessThanOrEqualTo(
                        spriteImage.getHeight());
            });

            MetricRegistry metrics = archive.getEnvironment().metrics();
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "packets_duplicate").getCount()).isPositive();
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "packets_unknown_payload_type").getCount())
                    .isEqualTo(1);
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "packets_lost").getCount()).isZero();
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "tracks_timed_out").getCount()).isEqualTo(1);
            // (Earlier tests' recordings on the shared topics may be rendered here too: at least this one.)
            assertThat(metrics.counter(Archiver.METRIC_PREFIX + "renders_completed").getCount()).isPositive();

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

    private void assertStored(ArchiveHarness harness, RecordingEvents.StoredFile file, String key, String codec,
                              int seconds) throws Exception {
        assertThat(file.objectKey()).isEqualTo(key);
        Path local = harness.download(key, dir);
        assertThat(java.nio.file.Files.size(local)).isEqualTo(file.sizeBytes());
        assertThat(ObjectStore.sha256(local)).isEqualTo(file.sha256());
        assertThat(harness.s3.headObject(b -> b.bucket(harness.bucket).key(key)).metadata())
                .containsEntry(ObjectStore.SHA256_METADATA, file.sha256());
        Ffprobe.Stream stream = Ffprobe.probe(local);
        assertThat(stream.codec()).isEqualTo(codec);
        assertThat(stream.durationSeconds()).isCloseTo(seconds, offset(1.0));
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
