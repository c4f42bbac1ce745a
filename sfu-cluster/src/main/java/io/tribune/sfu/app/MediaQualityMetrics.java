package io.tribune.sfu.app;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tribune.sfu.room.LayerStats;
import io.tribune.sfu.room.Participant;
import io.tribune.sfu.room.Room;
import io.tribune.sfu.room.Rooms;

/**
 * Per participant and per published layer, what the node measures of media quality: round-trip time and the
 * downlink estimate and loss (from RTCP and transport-cc), and each layer's bitrate, loss and jitter. Labelled
 * {@code room} and {@code participant} (and {@code track}, {@code layer}); computed when scraped. Thread-safe.
 */
final class MediaQualityMetrics {

    private MediaQualityMetrics() {
    }

    static MetricSnapshots snapshots(Rooms rooms) {
        GaugeSnapshot.Builder rtt = GaugeSnapshot.builder().name("sfu_participant_rtt_seconds")
                .help("Round-trip time to the participant, from RTCP report blocks");
        GaugeSnapshot.Builder estimate = GaugeSnapshot.builder().name("sfu_participant_downlink_estimate_bps")
                .help("The node's estimate of the participant's downlink, bits per second (transport-cc)");
        GaugeSnapshot.Builder downLoss = GaugeSnapshot.builder().name("sfu_participant_downlink_loss_ratio")
                .help("Loss the participant reported on what the node sends it (0..1)");
        GaugeSnapshot.Builder bitrate = GaugeSnapshot.builder().name("sfu_layer_bitrate_bps")
                .help("Media bitrate of a published layer as received, bits per second");
        GaugeSnapshot.Builder loss = GaugeSnapshot.builder().name("sfu_layer_loss_ratio")
                .help("Loss on a published layer in the last receiver report interval (0..1)");
        GaugeSnapshot.Builder jitter = GaugeSnapshot.builder().name("sfu_layer_jitter_seconds")
                .help("Interarrival jitter of a published layer (RFC 3550 A.8)");
        for (Room room : rooms.rooms()) {
            for (Participant participant : room.participants()) {
                Labels labels = Labels.of("room", room.id(), "participant", participant.id());
                if (participant.rttMillis() >= 0) {
                    rtt.dataPoint(point(labels, participant.rttMillis() / 1000));
                }
                if (participant.downlinkEstimateBps() >= 0) {
                    estimate.dataPoint(point(labels, participant.downlinkEstimateBps()));
                }
                downLoss.dataPoint(point(labels, participant.downlinkLossFraction()));
                for (LayerStats layer : participant.publishedLayers()) {
                    Labels layerLabels = Labels.of("room", room.id(), "participant", participant.id(), "track",
                            layer.trackId(), "layer", Integer.toString(layer.layer()));
                    bitrate.dataPoint(point(layerLabels, layer.bitrateBps()));
                    loss.dataPoint(point(layerLabels, layer.lossFraction()));
                    jitter.dataPoint(point(layerLabels, layer.jitterMillis() / 1000));
                }
            }
        }
        return MetricSnapshots.of(rtt.build(), estimate.build(), downLoss.build(), bitrate.build(), loss.build(),
                jitter.build());
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
