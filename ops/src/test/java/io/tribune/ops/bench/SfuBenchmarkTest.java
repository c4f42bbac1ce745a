package io.tribune.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SfuBenchmarkTest {

    /** Cumulative buckets as Prometheus exports them: 10 packets up to 0.1 ms, 80 up to 0.2 ms, 10 up to 2 ms. */
    private static Map<Double, Long> buckets() {
        Map<Double, Long> cumulative = new TreeMap<>();
        cumulative.put(0.0001, 10L);
        cumulative.put(0.0002, 90L);
        cumulative.put(0.002, 100L);
        cumulative.put(Double.POSITIVE_INFINITY, 100L);
        return cumulative;
    }

    @Test
    void quantilesInterpolateInsideTheirBucket() {
        assertThat(SfuBenchmark.quantile(buckets(), 0.50)).isCloseTo(0.00015, within(1e-9));
        assertThat(SfuBenchmark.quantile(buckets(), 0.99)).isCloseTo(0.0002 + 0.0018 * 0.9, within(1e-9));
    }

    @Test
    void aQuantileInTheOpenBucketIsTheLastBound() {
        Map<Double, Long> cumulative = buckets();
        cumulative.put(Double.POSITIVE_INFINITY, 200L);
        assertThat(SfuBenchmark.quantile(cumulative, 0.99)).isEqualTo(0.002);
    }

    @Test
    void noPacketsHaveNoQuantile() {
        assertThat(SfuBenchmark.quantile(Map.of(Double.POSITIVE_INFINITY, 0L), 0.5)).isNaN();
    }

    @Test
    void aWindowLineReadsBackAsTheSameWindow() {
        LoadWindow window = new LoadWindow(10.002, 2.5, 12_800, 100_000, 102_400);

        LoadWindow read = LoadWindow.parse(window.line());

        assertThat(read.forwarded()).isEqualTo(100_000);
        assertThat(read.expected()).isEqualTo(102_400);
        assertThat(read.cpuSeconds()).isEqualTo(2.5);
        assertThat(read.packetsPerCore()).isEqualTo(40_000);
        assertThat(read.cpuMsPer1000()).isCloseTo(25.0, within(1e-9));
    }
}
