package io.tribune.sfu.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.TestSfuNode;
import io.tribune.sfu.transport.ForwardingLatency;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load client against a real SFU node in this JVM: two publishers' SRTP audio and video reach two
 * subscribers, who decrypt every packet; the node's forwarding latency histogram counts them.
 */
class TribuneRoomLoadTest {

    @Test
    @Timeout(120)
    void publishersReachEverySubscriberThroughTheNode() throws Exception {
        long forwardedBefore = Arrays.stream(ForwardingLatency.NODE.counts()).sum();
        try (TestSfuNode node = new TestSfuNode();
             TribuneRoomLoad room = TribuneRoomLoad.connect(URI.create(node.signalingUrl()),
                     id -> node.token(id, "load-room", "participant", List.of("publish", "subscribe")), 2, 2, 300,
                     InetAddress.getLoopbackAddress(), Duration.ofSeconds(30));
             LoadGenerator generator = new LoadGenerator(room.publishers())) {
            generator.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (minimumReceived(room) < 300 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }

            for (LoadPeer subscriber : room.subscribers()) {
                assertThat(subscriber.rtpReceived()).as(subscriber.name() + " received").isGreaterThanOrEqualTo(300);
                assertThat(subscriber.rtpRejected()).as(subscriber.name() + " rejected").isZero();
            }
            RoomLoad.Counts counts = room.counts();
            // Each subscriber gets (nearly) everything both publishers sent since it connected.
            assertThat(counts.received()).isLessThanOrEqualTo(2 * counts.sent());
            assertThat(Arrays.stream(ForwardingLatency.NODE.counts()).sum() - forwardedBefore)
                    .isGreaterThanOrEqualTo(600);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(node.adminUrl() + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("sfu_forwarding_latency_seconds_bucket{le=\"0.001\"}");
        }
    }

    private static long minimumReceived(RoomLoad room) {
        return room.subscribers().stream().mapToLong(LoadPeer::rtpReceived).min().orElse(0);
    }
}
