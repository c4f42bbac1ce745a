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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Track bookkeeping: opening, refusing, closing idle tracks, orphans, the captions flag (Started, in-band switches)
 * and tracks learnt from a look-back. No speech, so no model is loaded.
 */
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

    @Test
    void transcribesATrackOnlyWhileItsCaptionsAreOn() {
        transcriptions.onEvent(started("t-1", false), PARTITION);
        // Not even the codec matters while nothing is decoded.
        transcriptions.onEvent(Event.of(new MediaEvents.AudioTrackStarted("m-1", "t-pcmu", "p-2", "Bo", 2, "PCMU",
                8_000, 0, Instant.now(), "r-1", false), Instant.now()), PARTITION);
        assertThat(transcriptions.openTracks()).isZero();
        assertThat(transcriptions.knownTracks()).isEqualTo(2);
        packets("m-1:t-1", 0, 10);
        assertThat(metrics.captionsOffPackets()).isEqualTo(10);
        assertThat(metrics.decodeErrors()).isZero();

        transcriptions.onEvent(switched("t-1", true), PARTITION);
        assertThat(transcriptions.openTracks()).isEqualTo(1);
        packets("m-1:t-1", 10, 20);
        assertThat(metrics.captionsOffPackets()).isEqualTo(10);
        assertThat(metrics.decodeErrors()).isGreaterThan(0);

        transcriptions.onEvent(switched("t-1", false), PARTITION);
        assertThat(transcriptions.openTracks()).isZero();
        assertThat(open.get()).isZero();
        packets("m-1:t-1", 30, 5);
        assertThat(metrics.captionsOffPackets()).isEqualTo(15);
        assertThatThrownBy(() -> transcriptions.onEvent(switched("t-pcmu", true), PARTITION))
                .isInstanceOf(PoisonEventException.class).hasMessageContaining("PCMU");
        assertThat(captions).isEmpty();
    }

    @Test
    void learnsTracksOpenBeforeItsStartFromTheLookBackButWhatItSawLiveWins() {
        transcriptions.lookbackStarted(PARTITION);
        // While the look-back reads, packets of tracks it may know are skipped; live events are kept.
        packets("m-1:t-on", 0, 3);
        assertThat(metrics.orphanPackets()).isEqualTo(3);
        transcriptions.onEvent(switched("t-switched-off", false), PARTITION);
        transcriptions.onEvent(Event.of(new MediaEvents.AudioTrackEnded("m-1", "t-ended", Instant.now(), null),
                Instant.now()), PARTITION);

        transcriptions.lookbackDone(PARTITION, Map.of(
                "m-1:t-on", known("t-on", true),
                "m-1:t-off", known("t-off", false),
                "m-1:t-switched-off", known("t-switched-off", true),
                "m-1:t-ended", known("t-ended", true)));
        assertThat(transcriptions.openTracks()).isEqualTo(1);
        assertThat(metrics.tracksResumed()).isEqualTo(1);
        packets("m-1:t-off", 0, 4);
        packets("m-1:t-switched-off", 0, 4);
        packets("m-1:t-ended", 0, 4);
        assertThat(metrics.captionsOffPackets()).isEqualTo(8);
        assertThat(metrics.orphanPackets()).isEqualTo(7);
    }

    @Test
    void aTrackSwitchedOnWhoseStartIsNowhereIsTranscribedFromItsPackets() {
        transcriptions.onEvent(switched("t-1", true), PARTITION);
        assertThat(transcriptions.openTracks()).isZero();
        packets("m-1:t-1", 0, 1);
        assertThat(transcriptions.openTracks()).isEqualTo(1);
        assertThat(metrics.tracksResumed()).isEqualTo(1);
        // A failed look-back leaves unknown tracks unknown: never transcribed on a guess.
        transcriptions.lookbackStarted(PARTITION);
        transcriptions.lookbackDone(PARTITION, null);
        packets("m-1:t-2", 0, 5);
        assertThat(metrics.orphanPackets()).isEqualTo(5);
        assertThat(transcriptions.openTracks()).isEqualTo(1);
    }

    private void packets(String key, int first, int count) {
        for (int i = first; i < first + count; i++) {
            transcriptions.onPacket(key, new RtpRecord(0, 1, 111, i, i * 960L, false, new byte[] {3, 0}));
        }
    }

    private static KnownTrack known(String track, boolean captions) {
        return new KnownTrack(new MediaEvents.AudioTrackStarted("m-1", track, "p-1", "Ada", 1, "opus", 48_000, 111,
                Instant.now(), null, captions), captions, false);
    }

    private static Event switched(String track, boolean on) {
        return Event.of(new MediaEvents.AudioCaptions("m-1", track, on, Instant.now()), Instant.now());
    }

    private static Event started(String track, boolean captions) {
        return Event.of(new MediaEvents.AudioTrackStarted("m-1", track, "p-1", "Ada", 1, "opus", 48_000, 111,
                Instant.now(), null, captions), Instant.now());
    }

    private static Event started(String track, String codec, int clockRate) {
        return Event.of(new MediaEvents.AudioTrackStarted("m-1", track, "p-1", "Ada", 1, codec, clockRate, 111,
                Instant.now(), null, true), Instant.now());
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
