package io.tribune.sfu.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.sfu.app.HostControls;
import io.tribune.sfu.room.MediaContext;
import io.tribune.sfu.room.Rooms;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * record_start/record_stop and captions_start/captions_stop on the sfu-control channel, and the tap's queue, without
 * Kafka or Redis (MediaTapIT has them with both).
 */
class RecordingCommandsTest {

    private static final String CHANNEL = "tribune:meeting:{m-1}:sfu-control";

    private ScheduledExecutorService scheduler;
    private Rooms rooms;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        rooms = new Rooms(new MediaContext(null, null, scheduler, Clock.systemUTC(), 64, 64, 0));
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    @Nested
    class WhenTheCommandIsBad {
        @Test
        void countsAndDropsIt() {
            RoomTaps taps = new RoomTaps(rooms, null, Clock.systemUTC());
            HostControls controls = new HostControls("redis://127.0.0.1:1", rooms, taps);
            for (String bad : List.of("{\"action\":\"record_start\"}", "{\"action\":\"record_start\",\"recording_id\":7}",
                    "{\"action\":\"record_stop\",\"recording_id\":\" \"}", "{\"action\":\"record_start\",",
                    "[\"record_start\"]")) {
                controls.apply(CHANNEL, bad);
            }
            assertThat(controls.dropped()).isEqualTo(5);
            assertThat(controls.applied()).isZero();
            assertThat(taps.taps()).isEmpty();
            assertThat(taps.refused()).isZero();
        }
    }

    @Nested
    class WhenNoKafkaIsConfigured {
        @Test
        void refusesTheRecordingAndCountsIt() {
            RoomTaps taps = new RoomTaps(rooms, null, Clock.systemUTC());
            HostControls controls = new HostControls("redis://127.0.0.1:1", rooms, taps);
            controls.apply(CHANNEL, "{\"action\":\"record_start\",\"recording_id\":\"r-1\"}");
            assertThat(controls.applied()).isEqualTo(1);
            assertThat(taps.refused()).isEqualTo(1);
            assertThat(taps.taps()).isEmpty();
            assertThat(taps.start("m-1", "r-1")).isEqualTo(RoomTaps.Start.REFUSED_NO_KAFKA);
        }
    }

    @Test
    void startForARoomNotOnThisNodeTapsNothing() {
        ListSink sink = new ListSink(null);
        try (RoomTaps taps = new RoomTaps(rooms, new TapQueue(sink, 64), Clock.systemUTC())) {
            assertThat(taps.start("m-1", "r-1")).isEqualTo(RoomTaps.Start.NOT_ON_THIS_NODE);
            assertThat(taps.taps()).isEmpty();
        }
    }

    @Test
    void captionsForARoomNotOnThisNodeTapNothingAndAreNotRemembered() {
        ListSink sink = new ListSink(null);
        try (RoomTaps taps = new RoomTaps(rooms, new TapQueue(sink, 64), Clock.systemUTC())) {
            HostControls controls = new HostControls("redis://127.0.0.1:1", rooms, taps);
            controls.apply(CHANNEL, "{\"action\":\"captions_start\"}");
            assertThat(controls.applied()).isEqualTo(1);
            assertThat(taps.taps()).isEmpty();
            assertThat(taps.captionsOn("m-1")).isFalse();
            assertThat(taps.captions("m-1", true)).isEqualTo(RoomTaps.Start.NOT_ON_THIS_NODE);
            controls.apply(CHANNEL, "{\"action\":\"captions_stop\"}");
            assertThat(controls.applied()).isEqualTo(2);
            assertThat(taps.taps()).isEmpty();
            // A stop for a recording that is not tapped is stale: ignored.
            assertThat(taps.stop("m-1", "r-1")).isFalse();
        }
    }

    @Test
    void captionsWithoutKafkaAreAppliedButTapNothing() {
        RoomTaps taps = new RoomTaps(rooms, null, Clock.systemUTC());
        HostControls controls = new HostControls("redis://127.0.0.1:1", rooms, taps);
        controls.apply(CHANNEL, "{\"action\":\"captions_start\"}");
        controls.apply(CHANNEL, "{\"action\":\"captions_stop\"}");
        assertThat(controls.applied()).isEqualTo(2);
        assertThat(controls.dropped()).isZero();
        assertThat(taps.taps()).isEmpty();
    }

    @Nested
    class TheQueue {
        @Test
        @Timeout(30)
        void keepsEachTracksOrderAndDropsPacketsWhenFullButNeverEvents() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            ListSink sink = new ListSink(release);
            RoomTap.Counters room = new RoomTap.Counters();
            TapQueue queue = new TapQueue(sink, 4);
            Event started = Event.of(new MediaEvents.AudioTrackStarted("m", "t", "p", "P", 1, "opus", 48_000, 111,
                    Instant.now(), "r"), Instant.now());
            assertThat(queue.offerEvent(Topics.MEDIA_AUDIO, "m:t", started, room, false)).isTrue();
            // The producer thread takes the event and blocks in the sink; then 4 packets fit and the rest drop.
            while (sink.values.isEmpty()) {
                Thread.sleep(5);
            }
            int accepted = 0;
            for (int i = 0; i < 10; i++) {
                if (queue.offerPacket(Topics.MEDIA_AUDIO, "m:t", record(i), room)) {
                    accepted++;
                }
            }
            Event ended = Event.of(new MediaEvents.AudioTrackEnded("m", "t", Instant.now(), "r"), Instant.now());
            assertThat(queue.offerEvent(Topics.MEDIA_AUDIO, "m:t", ended, room, true)).isTrue();
            assertThat(accepted).isEqualTo(4);
            assertThat(queue.packetsDropped()).isEqualTo(6);
            assertThat(room.dropped.sum()).isEqualTo(6);
            release.countDown();
            queue.close();

            assertThat(sink.values).hasSize(6);
            assertThat(EventCodec.decode(sink.values.get(0)).data()).isInstanceOf(MediaEvents.AudioTrackStarted.class);
            for (int i = 0; i < 4; i++) {
                assertThat(RtpRecord.decode(sink.values.get(i + 1)).sequence()).isEqualTo(i);
            }
            assertThat(EventCodec.decode(sink.values.get(5)).data()).isInstanceOf(MediaEvents.AudioTrackEnded.class);
            assertThat(queue.packetsSent()).isEqualTo(4);
            assertThat(room.packets.sum()).isEqualTo(4);
            assertThat(queue.bytesSent()).isEqualTo(4L * (RtpRecord.HEADER_BYTES + 3));
            assertThat(sink.closed).isTrue();
        }

        private RtpRecord record(int sequence) {
            return new RtpRecord(1_000, 1, 111, sequence, 960L * sequence, false, new byte[] {1, 2, 3});
        }
    }

    /** Keeps what it is sent; the first send waits for {@code release} when one is given. */
    private static final class ListSink implements TapSink {
        final List<byte[]> values = new ArrayList<>();
        private final CountDownLatch release;
        volatile boolean closed;

        ListSink(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void send(String topic, String key, byte[] value, Runnable failed) {
            synchronized (values) {
                values.add(value);
            }
            if (release != null && values.size() == 1) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
