package io.tribune.sfu.room;

import io.tribune.sfu.bwe.BandwidthEstimator;
import io.tribune.sfu.bwe.LayerSelector;
import io.tribune.sfu.rtp.Remb;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.rtp.TransportCcFeedback;
import java.util.ArrayList;
import java.util.List;

/**
 * One subscriber's downlink: its {@link BandwidthEstimator} (fed by the transport-wide sequence numbers the send
 * pipeline writes and the feedback the subscriber returns) and the choice of simulcast layer for every video
 * track it receives ({@link LayerSelector}, from the estimate and the subscriber's {@code subscribe}
 * preferences), made again after each feedback and at least twice a second.
 *
 * <p>Not thread-safe: the subscriber's send pipeline owns it. It publishes the estimate and each down track's
 * target layer through volatile fields.
 */
final class DownlinkControl {

    /** Kept for each audio track the subscriber receives before video is allotted. */
    static final long AUDIO_RESERVE_BPS = 50_000;
    private static final long ALLOCATION_INTERVAL_NANOS = 500_000_000L;

    private final Participant subscriber;
    private final BandwidthEstimator estimator = new BandwidthEstimator();
    private long lastAllocationNanos = Long.MIN_VALUE / 2;

    DownlinkControl(Participant subscriber) {
        this.subscriber = subscriber;
    }

    void onSent(int transportSequence, int bytes, long nowNanos) {
        estimator.onSent(transportSequence, bytes, nowNanos);
    }

    void onFeedback(RtcpPacket feedback, long nowNanos) {
        if (feedback instanceof TransportCcFeedback transportCc) {
            estimator.onFeedback(transportCc, nowNanos);
        } else if (feedback instanceof Remb remb) {
            estimator.onRemb(remb.bitrateBps(), nowNanos);
        }
        allocate(nowNanos);
    }

    void maybeAllocate(long nowNanos) {
        if (nowNanos - lastAllocationNanos >= ALLOCATION_INTERVAL_NANOS) {
            allocate(nowNanos);
        }
    }

    /** Chooses each video down track's target layer. */
    void allocate(long nowNanos) {
        lastAllocationNanos = nowNanos;
        long estimate = estimator.estimateBps();
        subscriber.publishDownlinkEstimate(estimate);
        List<DownTrack> video = new ArrayList<>();
        List<LayerSelector.Track> tracks = new ArrayList<>();
        long budget = estimate;
        for (DownTrack down : subscriber.downTracks()) {
            PublishedTrack track = down.track();
            if (track.muted()) {
                continue;
            }
            if (!track.kind().equals("video")) {
                budget -= AUDIO_RESERVE_BPS;
                continue;
            }
            List<LayerSelector.Option> options = new ArrayList<>();
            for (Layer layer : track.layers()) {
                options.add(new LayerSelector.Option(layer.bitrateBps(), layer.width(), layer.height(),
                        layer.isActive(nowNanos)));
            }
            DownTrack.Preference preference = down.preference();
            video.add(down);
            tracks.add(new LayerSelector.Track(options, preference.maxWidth(), preference.maxHeight(),
                    preference.maxLayer(), down.currentLayer()));
        }
        int[] chosen = LayerSelector.select(tracks, Math.max(0, budget));
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i] >= 0) {
                video.get(i).setTargetLayer(chosen[i]);
            }
        }
    }

    BandwidthEstimator estimator() {
        return estimator;
    }
}
