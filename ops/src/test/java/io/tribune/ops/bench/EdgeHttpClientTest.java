package io.tribune.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bench's viewer client against a real HTTP/1.1 server (the JDK's), one request after another. */
class EdgeHttpClientTest {

    private static final String PLAYLIST = """
            #EXTM3U
            #EXT-X-MEDIA-SEQUENCE:1
            #EXT-X-MAP:URI="r1/init0.mp4"
            #EXTINF:2.000,
            r1/s1.m4s
            #EXT-X-PART:DURATION=0.500,URI="r1/p1.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.500,URI="r1/p2.m4s"
            #EXT-X-PART:DURATION=0.500,URI="r1/p3.m4s"
            #EXT-X-PART:DURATION=0.500,URI="r1/p4.m4s"
            #EXTINF:2.000,
            r1/s2.m4s
            """;

    private HttpServer server;
    private EdgeHttpClient client;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::answer);
        server.start();
        client = new EdgeHttpClient(server.getAddress(), "test-client");
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestURI().toString();
        requests.add(target + " cookie=" + exchange.getRequestHeaders().getFirst("Cookie"));
        clientPorts.add(exchange.getRemoteAddress().getPort());
        byte[] body;
        if (target.startsWith("/hls/ev/r1/index.m3u8?")) {
            // A blocking reload: one more part (p5), then the stream has ended (404).
            if (requests.stream().filter(r -> r.contains("index.m3u8?")).count() > 1) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            body = (PLAYLIST + "#EXT-X-PART:DURATION=0.500,URI=\"r1/p5.m4s\"\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, 0); // chunked
        } else if (target.equals("/hls/ev/r1/index.m3u8")) {
            body = PLAYLIST.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
        } else {
            body = new byte[30_000]; // a part
            exchange.sendResponseHeaders(200, body.length);
        }
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void aViewerFetchesTheInitSegmentAndEachNewPartOnceThenBlocksOnTheNextPart() throws Exception {
        LlHlsViewer.Counters counters = new LlHlsViewer.Counters();
        LlHlsViewer viewer = new LlHlsViewer(client, "/hls/ev/r1/index.m3u8", "CloudFront-Policy=abc", counters);
        client.execute(viewer::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (requests.stream().noneMatch(r -> r.startsWith("/hls/ev/r1/r1/p5.m4s"))
                || counters.failures.get() == 0) {
            assertThat(System.nanoTime()).as("requests so far: " + requests).isLessThan(deadline);
            Thread.sleep(20);
        }
        viewer.stop();
        List<String> paths = requests.stream().map(r -> r.substring(0, r.indexOf(' '))).toList();
        assertThat(paths).containsSubsequence("/hls/ev/r1/index.m3u8", "/hls/ev/r1/r1/init0.mp4",
                "/hls/ev/r1/r1/p2.m4s", "/hls/ev/r1/r1/p3.m4s", "/hls/ev/r1/r1/p4.m4s", "/hls/ev/r1/r1/p5.m4s");
        assertThat(paths).contains("/hls/ev/r1/index.m3u8?_HLS_msn=3&_HLS_part=0",
                "/hls/ev/r1/index.m3u8?_HLS_msn=3&_HLS_part=1");
        assertThat(paths).doesNotContain("/hls/ev/r1/r1/p1.m4s");
        assertThat(paths.stream().filter(p -> p.endsWith(".m4s") || p.endsWith(".mp4")).distinct().count())
                .as("each part fetched once").isEqualTo(paths.stream().filter(p -> p.endsWith(".m4s")
                        || p.endsWith(".mp4")).count());
        assertThat(requests).allMatch(r -> r.endsWith("cookie=CloudFront-Policy=abc"));
        assertThat(counters.failureKinds).containsOnlyKeys("reload: HTTP 404");
        // Two connections (playlists, parts), each kept alive across its requests.
        assertThat(clientPorts.stream().distinct().count()).isEqualTo(2);
    }

    @Test
    void aRefusedConnectionIsAFailureNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (EdgeHttpClient nowhere = new EdgeHttpClient(new InetSocketAddress("127.0.0.1", closedPort), "t")) {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            nowhere.execute(() -> nowhere.connection().get("/x", new byte[0], false, new EdgeHttpClient.Listener() {
                @Override
                public void completed(int status, byte[] body, long bodyBytes) {
                    outcome.complete("HTTP " + status);
                }

                @Override
                public void failed(String kind) {
                    outcome.complete(kind);
                }
            }));
            assertThat(outcome.get(15, TimeUnit.SECONDS)).isEqualTo("ConnectException");
        }
    }
}
