package io.tribune.sfu.app;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.AdminEnvironment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tribune.sfu.pipeline.NodeStats;
import io.tribune.sfu.room.Rooms;
import io.tribune.sfu.transport.ForwardingLatency;
import java.util.Map;

/**
 * {@code GET /prometheus} on the admin port, as in api-server: Dropwizard metrics (Jetty, the node's rooms and
 * participants), JVM metrics, and the pipeline node counters, labelled {@code pipeline} (receive or send) and
 * {@code node}, summed over every endpoint the node has had; the node's and each room's endpoints, streams,
 * traffic, feedback, loss and RTT ({@link RoomMetrics}).
 */
public final class SfuMetrics {

    public static final String PATH = "/prometheus";

    private SfuMetrics() {
    }

    public static PrometheusRegistry register(MetricRegistry metrics, AdminEnvironment admin, Rooms rooms,
                                              NodeLoad load) {
        metrics.register("sfu.rooms", (Gauge<Integer>) rooms::roomCount);
        metrics.register("sfu.participants", (Gauge<Integer>) rooms::participantCount);
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder().dropwizardRegistry(metrics).register(registry);
        JvmMetrics.builder().register(registry);
        registry.register((MultiCollector) () -> pipelineSnapshots(rooms.nodeTotals()));
        registry.register((MultiCollector) () -> MediaQualityMetrics.snapshots(rooms));
        registry.register((MultiCollector) () -> RoomMetrics.snapshots(rooms.nodeStats(), rooms.roomStats(),
                load.latest()));
        registry.register((Collector) SfuMetrics::forwardingLatency);
        admin.addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PATH);
        return registry;
    }

    private static MetricSnapshots pipelineSnapshots(Map<String, NodeStats> totals) {
        CounterSnapshot.Builder in = CounterSnapshot.builder().name("sfu_pipeline_packets_in")
                .help("Packets into a pipeline node");
        CounterSnapshot.Builder out = CounterSnapshot.builder().name("sfu_pipeline_packets_out")
                .help("Packets a pipeline node passed on or consumed");
        CounterSnapshot.Builder dropped = CounterSnapshot.builder().name("sfu_pipeline_packets_dropped")
                .help("Packets a pipeline node dropped");
        CounterSnapshot.Builder seconds = CounterSnapshot.builder().name("sfu_pipeline_seconds")
                .help("Time spent in a pipeline node").unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS);
        totals.forEach((key, stats) -> {
            int dot = key.indexOf('.');
            Labels labels = Labels.of("pipeline", key.substring(0, dot), "node", key.substring(dot + 1));
            in.dataPoint(point(labels, stats.packetsIn()));
            out.dataPoint(point(labels, stats.packetsOut()));
            dropped.dataPoint(point(labels, stats.packetsDropped()));
            seconds.dataPoint(point(labels, stats.nanos() / 1e9));
        });
        return MetricSnapshots.of(in.build(), out.build(), dropped.build(), seconds.build());
    }

    /** {@code sfu_forwarding_latency_seconds}: socket to socket inside the node, per forwarded packet. */
    private static HistogramSnapshot forwardingLatency() {
        ForwardingLatency latency = ForwardingLatency.NODE;
        return HistogramSnapshot.builder().name("sfu_forwarding_latency_seconds")
                .help("Time a forwarded packet spent in the node, from the socket's receive to ice-send")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(ForwardingLatency.upperBoundsSeconds(),
                                latency.counts()))
                        .sum(latency.sumSeconds()).build())
                .build();
    }

    private static CounterSnapshot.CounterDataPointSnapshot point(Labels labels, double value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
