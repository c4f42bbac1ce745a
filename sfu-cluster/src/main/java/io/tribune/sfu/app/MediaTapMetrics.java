package io.tribune.sfu.app;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.tribune.sfu.tap.RoomTap;
import io.tribune.sfu.tap.RoomTaps;
import io.tribune.sfu.tap.TapQueue;
import java.util.List;

/**
 * The media tap in Prometheus form: the node's tapped packets and bytes, packets dropped for a full queue, send
 * errors, metadata events, queue depth and refused recordings ({@code sfu_media_tap_*}), and each tapped room's
 * state and figures ({@code sfu_room_tap_*{room,recording}}; a room's series go with its tap). Thread-safe.
 */
public final class MediaTapMetrics implements MultiCollector {

    private final RoomTaps taps;

    public MediaTapMetrics(RoomTaps taps) {
        this.taps = taps;
    }

    @Override
    public MetricSnapshots collect() {
        TapQueue queue = taps.queue().orElse(null);
        List<RoomTap> rooms = taps.taps();
        CounterSnapshot.Builder roomPackets = CounterSnapshot.builder().name("sfu_room_tap_packets")
                .help("One room: RTP packets its tap handed to Kafka");
        CounterSnapshot.Builder roomBytes = CounterSnapshot.builder().name("sfu_room_tap_bytes").unit(Unit.BYTES)
                .help("One room: bytes of RTP records its tap handed to Kafka");
        CounterSnapshot.Builder roomDropped = CounterSnapshot.builder().name("sfu_room_tap_dropped_packets")
                .help("One room: tapped packets dropped because the tap's queue was full");
        GaugeSnapshot.Builder roomTracks = GaugeSnapshot.builder().name("sfu_room_tap_tracks")
                .help("One room: tracks tapped now (the room is tapped, for a recording or captions, while the series exists)");
        for (RoomTap tap : rooms) {
            // A captions-only tap has no recording: an empty label value.
            Labels labels = Labels.of("recording", tap.recordingId() == null ? "" : tap.recordingId(),
                    "room", tap.roomId());
            roomPackets.dataPoint(counter(labels, tap.packets()));
            roomBytes.dataPoint(counter(labels, tap.bytes()));
            roomDropped.dataPoint(counter(labels, tap.dropped()));
            roomTracks.dataPoint(gauge(labels, tap.trackCount()));
        }
        return MetricSnapshots.of(
                CounterSnapshot.builder().name("sfu_media_tap_packets").help("RTP packets the media tap handed to Kafka")
                        .dataPoint(counter(Labels.EMPTY, queue == null ? 0 : queue.packetsSent())).build(),
                CounterSnapshot.builder().name("sfu_media_tap_bytes").unit(Unit.BYTES)
                        .help("Bytes of RTP records the media tap handed to Kafka")
                        .dataPoint(counter(Labels.EMPTY, queue == null ? 0 : queue.bytesSent())).build(),
                CounterSnapshot.builder().name("sfu_media_tap_dropped_packets")
                        .help("Tapped packets dropped because the tap's queue was full (forwarding never waits)")
                        .dataPoint(counter(Labels.EMPTY, queue == null ? 0 : queue.packetsDropped())).build(),
                CounterSnapshot.builder().name("sfu_media_tap_events").help("Track Started/Ended events sent")
                        .dataPoint(counter(Labels.EMPTY, queue == null ? 0 : queue.eventsSent())).build(),
                CounterSnapshot.builder().name("sfu_media_tap_send_errors")
                        .help("Records Kafka refused or could not acknowledge")
                        .dataPoint(counter(Labels.EMPTY, queue == null ? 0 : queue.sendErrors())).build(),
                CounterSnapshot.builder().name("sfu_media_tap_refused_recordings")
                        .help("Recording starts refused because no Kafka is configured")
                        .dataPoint(counter(Labels.EMPTY, taps.refused())).build(),
                GaugeSnapshot.builder().name("sfu_media_tap_queue_depth").help("Records waiting for the producer")
                        .dataPoint(gauge(Labels.EMPTY, queue == null ? 0 : queue.depth())).build(),
                GaugeSnapshot.builder().name("sfu_media_tap_rooms").help("Rooms tapped now")
                        .dataPoint(gauge(Labels.EMPTY, rooms.size())).build(),
                roomPackets.build(), roomBytes.build(), roomDropped.build(), roomTracks.build());
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(Labels labels, double value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
