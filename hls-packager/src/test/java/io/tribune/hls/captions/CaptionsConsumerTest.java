package io.tribune.hls.captions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.common.media.IngestProtocolException;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.hls.live.EventRegistry;
import io.tribune.hls.live.LiveEvent;
import io.tribune.hls.live.LiveSettings;
import io.tribune.hls.live.RenditionListener;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CaptionsConsumerTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MetricRegistry metrics = new MetricRegistry();
    private final EventRegistry registry = new EventRegistry(new LiveSettings(Duration.ofMillis(400),
            Duration.ofSeconds(2), Duration.ofMillis(1200), 6, 20), clock, id -> RenditionListener.NONE, "en",
            Duration.ofMinutes(1));
    private final CaptionsConsumer consumer = new CaptionsConsumer("127.0.0.1:1", CaptionsConsumer.GROUP, registry,
            Duration.ofMinutes(1), clock, metrics);
    private LiveEvent live;

    @BeforeEach
    void attachTownHall() throws IngestProtocolException, InterruptedException {
        live = registry.attach("townhall1", (Closeable) () -> { }, Duration.ofSeconds(1));
    }

    private static Event caption(String meeting, String phrase, String text, boolean isFinal, Instant start,
                                 Instant end) {
        return Event.of(new CaptionEvents.Caption(meeting, "p1", "Ada", "t1", phrase, text, isFinal, 0, 0, start,
                end), NOW);
    }

    private static Event caption(String meeting, String phrase, boolean isFinal) {
        return caption(meeting, phrase, "hello there", isFinal, NOW.minusSeconds(2), NOW.minusSeconds(1));
    }

    private long count(String name) {
        return metrics.counter(CaptionsConsumer.METRICS + name).getCount();
    }

    @Test
    void handsAFinalCaptionToItsLiveEvent() {
        consumer.handle(caption("townhall1", "ph1", true));
        assertThat(live.captions().size()).isEqualTo(1);
        assertThat(count("accepted")).isEqualTo(1);
    }

    @Test
    void skipsPartialsAndCountsThem() {
        consumer.handle(caption("townhall1", "ph1", false));
        assertThat(live.captions().size()).isZero();
        assertThat(count("partials")).isEqualTo(1);
    }

    @Test
    void ignoresAndCountsCaptionsOfEventsItDoesNotHold() {
        consumer.handle(caption("some-meeting", "ph1", true));
        assertThat(count("unknown_event")).isEqualTo(1);
        assertThat(live.captions().size()).isZero();
    }

    @Test
    void dropsStaleCaptions() {
        consumer.handle(caption("townhall1", "ph1", "old news", true, NOW.minusSeconds(300), NOW.minusSeconds(299)));
        assertThat(count("stale")).isEqualTo(1);
        assertThat(live.captions().size()).isZero();
    }

    @Test
    void aRedeliveredCaptionIsOneCue() {
        consumer.handle(caption("townhall1", "ph1", true));
        consumer.handle(caption("townhall1", "ph1", true));
        assertThat(count("duplicates")).isEqualTo(1);
        assertThat(live.captions().size()).isEqualTo(1);
    }

    @Test
    void ignoresEmptyFinalsAndOtherCaptionEvents() {
        consumer.handle(caption("townhall1", "ph1", "  ", true, NOW.minusSeconds(2), NOW.minusSeconds(1)));
        consumer.handle(Event.of(new CaptionEvents.TranscriptReady("townhall1", "r1", "k", 3, "en"), NOW));
        assertThat(count("empty")).isEqualTo(1);
        assertThat(live.captions().size()).isZero();
    }

    @Nested
    class WhenACaptionIsMalformed {

        @Test
        void deadLettersAndCountsIt() {
            Instant t = NOW.minusSeconds(1);
            assertThatThrownBy(() -> consumer.handle(caption(null, "ph1", "x", true, t, t)))
                    .isInstanceOf(PoisonEventException.class).hasMessageContaining("no meeting id");
            assertThatThrownBy(() -> consumer.handle(caption("townhall1", "", "x", true, t, t)))
                    .isInstanceOf(PoisonEventException.class).hasMessageContaining("no phrase id");
            assertThatThrownBy(() -> consumer.handle(caption("townhall1", "ph1", null, true, t, t)))
                    .isInstanceOf(PoisonEventException.class).hasMessageContaining("no text");
            assertThatThrownBy(() -> consumer.handle(caption("townhall1", "ph1", "x", true, null, t)))
                    .isInstanceOf(PoisonEventException.class).hasMessageContaining("no start or end");
            assertThatThrownBy(() -> consumer.handle(caption("townhall1", "ph1", "x", true, t, t.minusSeconds(1))))
                    .isInstanceOf(PoisonEventException.class).hasMessageContaining("ends before it starts");
            assertThatThrownBy(() -> consumer.handle(caption("townhall1", "ph1", "x".repeat(2001), true, t, t)))
                    .isInstanceOf(PoisonEventException.class).hasMessageContaining("2001 characters");
            assertThat(count("malformed")).isEqualTo(6);
            assertThat(live.captions().size()).isZero();
        }
    }
}
