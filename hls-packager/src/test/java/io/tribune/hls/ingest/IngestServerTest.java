package io.tribune.hls.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.IngestProtocol;
import io.tribune.common.media.IngestWriter;
import io.tribune.hls.live.EventRegistry;
import io.tribune.hls.live.LiveEvent;
import io.tribune.hls.live.LiveSettings;
import io.tribune.hls.live.RenditionListener;
import io.tribune.hls.live.SyntheticStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IngestServerTest {

    private final EventRegistry registry = new EventRegistry(LiveSettings.defaults(), Clock.systemUTC(),
            id -> RenditionListener.NONE, "en", Duration.ofMinutes(1));
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final MetricRegistry metrics = new MetricRegistry();
    private IngestServer server;

    @BeforeEach
    void start() throws IOException {
        server = new IngestServer(InetAddress.getLoopbackAddress(), 0, "s3cret", Duration.ofSeconds(5), registry,
                event -> ended.add(event.eventId()), metrics);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop();
    }

    private Socket connect(String eventId, String key, List<IngestFrame> frames) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        IngestWriter writer = new IngestWriter(socket.getOutputStream());
        writer.write(new IngestFrame.Hello(IngestProtocol.VERSION, eventId, key));
        for (IngestFrame frame : frames) {
            writer.write(frame);
        }
        writer.flush();
        return socket;
    }

    /** True once the server has closed the connection (read returns end of stream). */
    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        return socket.getInputStream().read() == -1;
    }

    private void awaitParts(String eventId, String rendition, String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            LiveEvent event = registry.get(eventId);
            if (event != null && event.rendition(rendition) != null
                    && event.rendition(rendition).playlist(List.of()).contains(text)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(eventId + "/" + rendition + " never showed " + text);
    }

    @Test
    void refusesAWrongKeyBeforeCreatingTheEvent() throws IOException {
        try (Socket socket = connect("ev1", "guess", SyntheticStream.tracks())) {
            assertThat(closedByServer(socket)).isTrue();
        }
        assertThat(registry.get("ev1")).isNull();
        assertThat(metrics.counter("hls.ingest.connections_refused").getCount()).isEqualTo(1);
    }

    @Test
    void aReconnectTakesOverTheEventAndContinuesAfterADiscontinuity() throws Exception {
        Socket first = connect("ev2", "s3cret", concat(SyntheticStream.tracks(), SyntheticStream.samples(0, 2.6)));
        awaitParts("ev2", "360p", "s1.m4s");
        // The transcoder restarts, its clock with it, while its old connection still looks open.
        try (Socket again = connect("ev2", "s3cret", concat(SyntheticStream.tracks(), SyntheticStream.samples(0, 2.1),
                List.of(new IngestFrame.End())))) {
            assertThat(closedByServer(first)).as("the old connection is closed").isTrue();
            assertThat(closedByServer(again)).as("closed after END").isTrue();
        }
        first.close();
        String playlist = registry.get("ev2").rendition("360p").playlist(List.of());
        assertThat(playlist).contains("#EXTINF:0.600,\n" + registry.get("ev2").runId() + "/s2.m4s\n"
                + "#EXT-X-DISCONTINUITY\n").endsWith("#EXT-X-ENDLIST\n");
        assertThat(ended).containsExactly("ev2");
        assertThat(metrics.counter("hls.ingest.connections_accepted").getCount()).isEqualTo(2);
    }

    @Test
    void closesOnAProtocolErrorAndKeepsWhatWasPublished() throws Exception {
        List<IngestFrame> frames = concat(SyntheticStream.tracks(), SyntheticStream.samples(0, 2.1),
                List.of(new IngestFrame.Sample(7, true, 0, 0, 0, IngestFrame.Sample.NO_CAPTURE_TIME, new byte[1])));
        try (Socket socket = connect("ev3", "s3cret", frames)) {
            assertThat(closedByServer(socket)).isTrue();
        }
        awaitParts("ev3", "360p", "s1.m4s");
        assertThat(registry.get("ev3").ended()).isFalse();
    }

    @SafeVarargs
    private static List<IngestFrame> concat(List<IngestFrame>... lists) {
        List<IngestFrame> all = new java.util.ArrayList<>();
        for (List<IngestFrame> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
