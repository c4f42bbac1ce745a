package io.tribune.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.events.EventCodec;
import io.tribune.events.RecordingEvents;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code recording.deleted} against a real archive, Kafka and S3Proxy: the named objects and everything else under
 * the recording's prefix go, other recordings stay, a redelivery is harmless, and an event naming a key outside the
 * recording is dead-lettered without deleting anything.
 */
@ExtendWith(PlatformExtension.class)
class RecordingDeletionIT {

    @TempDir
    Path dir;

    @Test
    void deletesTheRecordingsObjectsOnceToldAndNothingElse() throws Exception {
        String doomed = "r-" + UUID.randomUUID();
        String other = "r-" + UUID.randomUUID();
        try (ArchiveHarness harness = new ArchiveHarness()) {
            harness.startInProcess(dir.resolve("work"));
            List<String> named = List.of("recordings/" + doomed + "/tracks/t1.webm",
                    "recordings/" + doomed + "/view/recording.mp4");
            String unnamed = "recordings/" + doomed + "/view/thumbnails.jpg";
            String kept = "recordings/" + other + "/view/recording.mp4";
            for (String key : List.of(named.get(0), named.get(1), unnamed, kept)) {
                harness.s3.putObject(b -> b.bucket(harness.bucket).key(key), RequestBody.fromString(key));
            }

            harness.publish(new RecordingEvents.Deleted("m-1", doomed, named, "recordings/" + doomed + "/",
                    RecordingEvents.Deleted.REASON_RETENTION, Instant.now()));
            awaitKeys(harness, "recordings/" + doomed + "/", List.of());
            assertThat(keys(harness, "recordings/")).containsExactly(kept);

            // Again (a redelivery, or the api-server's second notice): nothing left to delete, no dead letter.
            harness.publish(new RecordingEvents.Deleted("m-1", doomed, named, "recordings/" + doomed + "/",
                    RecordingEvents.Deleted.REASON_DELETED, Instant.now()));
            // An event naming another recording's key is refused as a whole.
            String hostile = "r-" + UUID.randomUUID();
            harness.publish(new RecordingEvents.Deleted("m-1", hostile, List.of(kept), "recordings/" + hostile + "/",
                    RecordingEvents.Deleted.REASON_DELETED, Instant.now()));
            String deadLetters = Topics.deadLetter(harness.group + "-deletions");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> dead = List.of();
            while (dead.isEmpty() && System.nanoTime() < deadline) {
                dead = ArchiveHarness.readAll(harness.urls.kafkaBootstrap(), deadLetters, r -> true).stream()
                        .map(r -> EventCodec.decode(r.value()).data())
                        .filter(d -> d instanceof RecordingEvents.Deleted)
                        .map(d -> ((RecordingEvents.Deleted) d).recordingId())
                        .toList();
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertThat(dead).containsExactly(hostile);
            assertThat(keys(harness, "recordings/")).containsExactly(kept);
        }
    }

    private static List<String> keys(ArchiveHarness harness, String prefix) {
        return harness.s3.listObjectsV2(b -> b.bucket(harness.bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private static void awaitKeys(ArchiveHarness harness, String prefix, List<String> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> found = keys(harness, prefix);
        while (!found.equals(expected) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            found = keys(harness, prefix);
        }
        assertThat(found).as("objects under " + prefix).isEqualTo(expected);
    }
}
