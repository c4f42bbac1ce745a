package io.tribune.transcription.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Track bookkeeping: opening, refusing, closing idle tracks, orphans. No speech, so no model is loaded. */
class TranscriptionsTest {

    private static final TopicPartition PARTITION = new TopicPartition("tribune.media.audio", 0);

    private final MutableClock clock = new MutableClock();
    private final MetricRegistry registry = new MetricRegistry();
    private final TranscriptionMetrics metrics = new TranscriptionMetrics(registry);
    private final AtomicInteger open = new AtomicInteger();
    private final List<Object> captions = new ArrayList<>();
    private final Transcriptions transcriptions = new Transcriptions(new SpeechModel(Path.of("unused")),
            captions::add, clock, new TranscriberSettings(5, -45, Duration.ofMillis(300), Duration.ofMillis(700),
            Duration.ofSeconds(15), Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(30), 2),
            metrics, open);

    @Test
    void closesATrackThatStopsSendingWithoutAnEndedEvent() {
        transcriptions.onEvent(started("t-1", "opus", 48_000), PARTITION);
        transcriptions.onPacket("m-1:t-1", new RtpRecord(0, 1, 111, 1, 960, false, new byte[] {3, 0}));
        clock.advance(Duration.ofSeconds(29));
        transcriptions.sweep();
        assertThat(transcriptions.openTracks()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        transcriptions.sweep();
        assertThat(transcriptions.openTracks()).isZero();
        assertThat(open.get()).isZero();
        assertThat(registry.counter(TranscriptionMetrics.PREFIX + "tracks_idle_closed").getCount()).isEqualTo(1);
    }

    @Test
    void refusesUnsupportedCodecsAndTooManyTracks() {
        assertThatThrownBy(() -> transcriptions.onEvent(started("t-x", "PCMU", 8_000), PARTITION))
                .isInstanceOf(PoisonEventException.class).hasMessageContaining("PCMU");
        assertThatThrownBy(() -> transcriptions.onEvent(started("t-y", "opus", 90_000), PARTITION))
                .isInstanceOf(PoisonEventException.class).hasMessageContaining("48000");
        transcriptions.onEvent(started("t-1", "opus", 48_000), PARTITION);
        transcriptions.onEvent(started("t-2", "opus", 48_000), PARTITION);
        assertThatThrownBy(() -> transcriptions.onEvent(started("t-3", "opus", 48_000), PARTITION))
                .isInstanceOf(PoisonEventException.class).hasMessageContaining("open tracks");
        transcriptions.onEvent(Event.of(new MediaEvents.AudioTrackEnded("m-1", "t-1", Instant.now(), null),
                Instant.now()), PARTITION);
        transcriptions.onEvent(started("t-3", "opus", 48_000), PARTITION);
        assertThat(transcriptions.openTracks()).isEqualTo(2);
        transcriptions.dropPartitions(List.of(PARTITION));
        assertThat(transcriptions.openTracks()).isZero();
        assertThat(open.get()).isZero();
    }

    @Test
    void countsPacketsOfTracksItNeverSawStartAndGarbagePayloads() {
        transcriptions.onPacket("m-1:unknown", new RtpRecord(0, 1, 111, 1, 960, false, new byte[] {1}));
        assertThat(metrics.orphanPackets()).isEqualTo(1);
        transcriptions.onEvent(started("t-1", "opus", 48_000), PARTITION);
        for (int i = 0; i < 20; i++) {
            transcriptions.onPacket("m-1:t-1", new RtpRecord(0, 1, 111, i, i * 960L, false, new byte[] {3, 0}));
        }
        assertThat(metrics.decodeErrors()).isGreaterThanOrEqualTo(15); // all but those still in the reorder buffer
        assertThat(captions).isEmpty();
    }

    private static Event started(String track, String codec, int clockRate) {
        return Event.of(new MediaEvents.AudioTrackStarted("m-1", track, "p-1", "Ada", 1, codec, clockRate, 111,
                Instant.now(), null), Instant.now());
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-27T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
