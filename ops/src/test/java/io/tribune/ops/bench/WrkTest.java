package io.tribune.ops.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WrkTest {

    private static final String OK = """
            Running 10s test @ http://127.0.0.1:8080/api/v1/meetings/abc
              1 threads and 32 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     4.10ms    2.01ms  40.00ms   90.00%
                Req/Sec     7.90k   500.00     8.50k    70.00%
              Latency Distribution
                 50%  850.00us
                 75%    4.50ms
                 90%    6.00ms
                 99%    1.20s
              78912 requests in 10.00s, 40.00MB read
            Requests/sec:   7891.20
            Transfer/sec:      4.00MB
            """;

    @Test
    void readsRateAndPercentilesInMilliseconds() {
        Wrk.Measurement measurement = Wrk.parse(OK);

        assertThat(measurement.requestsPerSecond()).isEqualTo(7891.20);
        assertThat(measurement.p50Millis()).isCloseTo(0.85, within(1e-9));
        assertThat(measurement.p99Millis()).isCloseTo(1200.0, within(1e-9));
        assertThat(measurement.requests()).isEqualTo(78912);
    }

    @Test
    void refusesARunWithErrorResponses() {
        String withErrors = OK.replace("Requests/sec", "  Non-2xx or 3xx responses: 17\nRequests/sec");

        assertThatThrownBy(() -> Wrk.parse(withErrors)).hasMessageContaining("17 responses were not 2xx");
    }

    @Test
    void refusesARunWithSocketErrors() {
        String withErrors = OK.replace("Requests/sec",
                "  Socket errors: connect 0, read 3, write 0, timeout 2\nRequests/sec");

        assertThatThrownBy(() -> Wrk.parse(withErrors)).hasMessageContaining("socket errors");
    }
}
