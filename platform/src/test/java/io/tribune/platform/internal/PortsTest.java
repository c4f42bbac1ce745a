package io.tribune.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Nested
    class WhenPortIsTaken {

        @Test
        void refusesItWithMessageNamingComponentAndVariable() throws Exception {
            try (ServerSocket taken = bound()) {
                int port = taken.getLocalPort();

                assertThat(Ports.isFree(port)).isFalse();
                assertThat(Ports.isListening(port)).isTrue();
                assertThatThrownBy(() -> Ports.freeOrPick(port, "postgres"))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("port " + port + " is already in use (postgres); set TRIBUNE_POSTGRES_PORT or"
                                + " stop the other process");
            }
        }
    }

    @Nested
    class WhenPortIsFree {

        @Test
        void returnsItUnchanged() throws Exception {
            int port;
            try (ServerSocket released = bound()) {
                port = released.getLocalPort();
            }
            assertThat(Ports.freeOrPick(port, "redis")).isEqualTo(port);
            assertThat(Ports.isListening(port)).isFalse();
        }
    }

    @Test
    void picksDistinctPortsWhenAskedForZero() {
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.freeOrPick(0, "kafka");
            assertThat(port).isBetween(1, 65535);
            assertThat(picked.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }

    @Test
    void rejectsPortsOutsideTheTcpRange() {
        assertThatThrownBy(() -> Ports.checkPort(-1, "s3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3 port");
        assertThatThrownBy(() -> Ports.checkPort(65536, "s3")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Ports.checkPort(0, "s3")).isZero();
        assertThat(Ports.checkPort(65535, "s3")).isEqualTo(65535);
    }

    @Test
    void namesTheEnvironmentVariableOfEachPart() {
        assertThat(Ports.environmentVariable("kafka")).isEqualTo("TRIBUNE_KAFKA_PORT");
        assertThat(Ports.environmentVariable("s3")).isEqualTo("TRIBUNE_S3_PORT");
    }

    private static ServerSocket bound() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(Ports.LOOPBACK, 0));
        return socket;
    }
}
