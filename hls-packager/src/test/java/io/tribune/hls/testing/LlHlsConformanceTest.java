package io.tribune.hls.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tribune.hls.cmaf.Cmaf;
import io.tribune.hls.cmaf.MediaSample;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker must catch what it claims to: a playlist breaking three rules gives three violations. */
class LlHlsConformanceTest {

    @Test
    void reportsPartsOverTheTargetAShortHoldBackAndADependentIndependentPart() throws Exception {
        byte[] keyPart = Cmaf.fragment(1, List.of(new Cmaf.TrackRun(1, List.of(
                new MediaSample(0, 0, 45_000, true, 0, new byte[1])))));
        byte[] deltaPart = Cmaf.fragment(2, List.of(new Cmaf.TrackRun(1, List.of(
                new MediaSample(45_000, 45_000, 54_000, false, 0, new byte[1])))));
        String playlist = """
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:2
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.000
                #EXT-X-PART-INF:PART-TARGET=0.500
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-MAP:URI="init.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-11-26T10:00:00.000Z
                #EXT-X-PART:DURATION=0.500,URI="p0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.600,URI="p1.m4s",INDEPENDENT=YES
                #EXTINF:1.100,
                s0.m4s
                #EXT-X-ENDLIST
                """;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = path.endsWith("index.m3u8") ? playlist.getBytes(StandardCharsets.UTF_8)
                    : path.endsWith("p0.m4s") ? keyPart : deltaPart;
            exchange.getResponseHeaders().add("Cache-Control", "public, max-age=60, immutable");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            LlHlsConformance checker = new LlHlsConformance(HttpClient.newHttpClient(),
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/live/index.m3u8"), null);
            List<String> violations = checker.follow(Duration.ofSeconds(5));
            assertThat(violations).anyMatch(v -> v.startsWith("PART-HOLD-BACK 1.0 < 3 x PART-TARGET"))
                    .anyMatch(v -> v.equals("part p1.m4s lasts 0.6 > PART-TARGET"))
                    .anyMatch(v -> v.equals("INDEPENDENT part p1.m4s does not start with a sync sample"))
                    .hasSize(3);
        } finally {
            server.stop(0);
        }
    }
}
