package io.tribune.ops;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortsTest {

    @Test
    void aBusyPortIsReportedWithTheComponentAndTheSettingToChange() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            assertThat(Ports.isFree(port)).isFalse();
            assertThatThrownBy(() -> Ports.requireFree(port, "kafka", "TRIBUNE_KAFKA_PORT"))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("kafka")
                    .hasMessageContaining("TRIBUNE_KAFKA_PORT");
        }
    }

    @Test
    void aFreePortPasses() {
        int port = Ports.free();

        assertThat(Ports.isFree(port)).isTrue();
        Ports.requireFree(port, "kafka", "TRIBUNE_KAFKA_PORT");
    }
}
