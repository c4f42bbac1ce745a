package io.tribune.sfu.app;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.tribune.sfu.room.RoomStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The node's and each room's figures in Prometheus form. Node series have no label
 * ({@code sfu_node_received_packets_total} ...); room series carry {@code room} ({@code sfu_room_received_packets_total{room="..."}}). Node counts include the
 * rooms that are gone, so they only grow; a room's series go with the room. Loss and RTT are gauges that appear
 * once a subscriber reported them. Stateless; thread-safe.
 */
final class RoomMetrics {

    private record Figure(String name, String help, boolean counter, Unit unit, ToDoubleFunction<RoomStats> value) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("participants", "Endpoints (participants with a signaling connection)", false, null,
                    RoomStats::participants),
            new Figure("published_tracks", "Tracks the participants publish", false, null,
                    RoomStats::publishedTracks),
            new Figure("streams", "Forwarded streams: one per published track and subscriber", false, null,
                    RoomStats::streams),
            new Figure("paused_streams", "Streams last-N holds back", false, null, RoomStats::pausedStreams),
            new Figure("received_packets", "Datagrams received from the participants", true, null, RoomStats::packetsIn),
            new Figure("received_bytes", "Bytes received from the participants", true, Unit.BYTES, RoomStats::bytesIn),
            new Figure("sent_packets", "Datagrams sent to the participants", true, null, RoomStats::packetsOut),
            new Figure("sent_bytes", "Bytes sent to the participants", true, Unit.BYTES, RoomStats::bytesOut),
            new Figure("nacks_received", "NACK packets from subscribers", true, null, RoomStats::nacksReceived),
            new Figure("nacks_sent", "NACK packets sent to publishers (what the cache could not answer)", true, null,
                    RoomStats::nacksSent),
            new Figure("keyframe_requests_received", "PLI and FIR requests from subscribers", true, null,
                    RoomStats::keyFrameRequestsReceived),
            new Figure("plis_sent", "PLIs sent to publishers", true, null, RoomStats::plisSent));

    private RoomMetrics() {
    }

    static MetricSnapshots snapshots(RoomStats node, Map<String, RoomStats> rooms, NodeLoad.Sample load) {
        List<MetricSnapshot> out = new ArrayList<>();
        for (Figure figure : FIGURES) {
            out.add(snapshot("sfu_node_" + figure.name(), "The node: " + figure.help(), figure,
                    Map.of("", node), false));
            out.add(snapshot("sfu_room_" + figure.name(), "One room: " + figure.help(), figure, rooms, true));
        }
        out.add(optionalGauge("sfu_room_loss_ratio", "Mean fraction lost the room's subscribers last reported (0-1)",
                rooms, RoomStats::lossRatio, 1, null));
        out.add(optionalGauge("sfu_room_rtt_seconds", "Mean round-trip time from the subscribers' reports", rooms,
                RoomStats::rttMillis, 1000, Unit.SECONDS));
        out.add(GaugeSnapshot.builder().name("sfu_send_bitrate_bps")
                .help("Bits per second the node sent (mostly forwarded media), over the last registry heartbeat")
                .dataPoint(point(Labels.EMPTY, load.bitsPerSecondOut())).build());
        out.add(GaugeSnapshot.builder().name("sfu_receive_bitrate_bps")
                .help("Bits per second the node received, over the last registry heartbeat")
                .dataPoint(point(Labels.EMPTY, load.bitsPerSecondIn())).build());
        out.add(GaugeSnapshot.builder().name("sfu_send_packets_per_second")
                .help("Datagrams per second the node sent, over the last registry heartbeat")
                .dataPoint(point(Labels.EMPTY, load.packetsPerSecondOut())).build());
        out.add(GaugeSnapshot.builder().name("sfu_process_cpu_ratio")
                .help("The node process's share of all the machine's cores (0-1), at the last heartbeat")
                .dataPoint(point(Labels.EMPTY, load.cpu())).build());
        return new MetricSnapshots(out);
    }

    private static MetricSnapshot snapshot(String name, String help, Figure figure, Map<String, RoomStats> stats,
                                           boolean labelled) {
        if (figure.counter()) {
            CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
            if (figure.unit() != null) {
                builder.unit(figure.unit());
            }
            stats.forEach((room, s) -> builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(labelled ? Labels.of("room", room) : Labels.EMPTY)
                    .value(figure.value().applyAsDouble(s)).build()));
            return builder.build();
        }
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
        stats.forEach((room, s) -> builder.dataPoint(point(labelled ? Labels.of("room", room) : Labels.EMPTY,
                figure.value().applyAsDouble(s))));
        return builder.build();
    }

    private static GaugeSnapshot optionalGauge(String name, String help, Map<String, RoomStats> rooms,
                                               ToDoubleFunction<RoomStats> value, double divisor, Unit unit) {
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) {
            builder.unit(unit);
        }
        rooms.forEach((room, s) -> {
            double v = value.applyAsDouble(s);
            if (v >= 0) {
                builder.dataPoint(point(Labels.of("room", room), v / divisor));
            }
        });
        return builder.build();
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
