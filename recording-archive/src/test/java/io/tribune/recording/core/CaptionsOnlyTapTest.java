package io.tribune.recording.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.tribune.events.Event;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live captions share the audio topic (issue 9): a captions-only tap (recording id null) and the in-band captions
 * switch are counted and skipped, never stored, never dead-lettered. The archive gets no database, store or
 * publisher here: touching any of them would fail the test.
 */
class CaptionsOnlyTapTest {

    @TempDir
    Path dir;

    @Test
    void skipsCaptionsOnlyTracksAndCaptionSwitchesWithACount() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        Archiver archiver = new Archiver(null, null, null, Clock.systemUTC(), new Archiver.Settings(dir,
                Duration.ofSeconds(30), Duration.ofSeconds(5), 64, 1 << 20, 3, Duration.ofSeconds(1)), metrics);
        TopicPartition partition = new TopicPartition(Topics.MEDIA_AUDIO, 0);
        Instant now = Instant.now();

        archiver.onEvent(Event.of(new MediaEvents.AudioTrackStarted("m-1", "t-1", "p-1", "Ada", 7, "opus", 48_000,
                111, now, null, true), now), partition, 10);
        archiver.onPacket("m-1:t-1", new RtpRecord(1_000, 7, 111, 1, 960, false, new byte[] {1, 2}), partition);
        archiver.onEvent(Event.of(new MediaEvents.AudioCaptions("m-1", "t-1", false, now), now), partition, 12);
        archiver.onEvent(Event.of(new MediaEvents.AudioTrackEnded("m-1", "t-1", now, null), now), partition, 13);

        assertThat(archiver.openTracks()).isZero();
        assertThat(archiver.heldOffsets()).isEmpty();
        assertThat(metrics.counter(Archiver.METRIC_PREFIX + "captions_events_skipped").getCount()).isEqualTo(2);
        assertThat(metrics.counter(Archiver.METRIC_PREFIX + "packets_skipped").getCount()).isEqualTo(1);
        assertThat(metrics.counter(Archiver.METRIC_PREFIX + "packets").getCount()).isZero();
    }
}
