package io.tribune.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {

    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\n#EXTM\r\n3\r\nU3\n\r\n0\r\nX-Trailer: yes\r\n\r\n";

    /** Feeds {@code response} in pieces of {@code step} bytes; returns the reader once it says complete. */
    private static HttpResponseReader readInPieces(String response, int step, boolean keepBody) {
        HttpResponseReader reader = new HttpResponseReader();
        reader.reset(keepBody, false);
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += step) {
            ByteBuffer piece = ByteBuffer.wrap(bytes, i, Math.min(step, bytes.length - i));
            if (reader.read(piece)) {
                assertThat(i + step).as("completes on the last byte").isGreaterThanOrEqualTo(bytes.length);
                return reader;
            }
        }
        throw new AssertionError("the response never completed");
    }

    @Nested
    class WhenTheBodyHasAContentLength {
        @Test
        void keepsTheBodyWhateverPiecesItArrivesIn() {
            String response = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nCache-Control: max-age=1\r\n\r\n#EXTM3U";
            for (int step : new int[] {1, 2, 5, 1000}) {
                HttpResponseReader reader = readInPieces(response, step, true);
                assertThat(reader.status()).isEqualTo(200);
                assertThat(new String(reader.body(), StandardCharsets.ISO_8859_1)).isEqualTo("#EXTM3U");
                assertThat(reader.keepAlive()).isTrue();
            }
        }

        @Test
        void countsButDropsABodyNotAskedFor() {
            HttpResponseReader reader = readInPieces("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nabcd", 3, false);
            assertThat(reader.body()).isNull();
            assertThat(reader.bodyBytes()).isEqualTo(4);
        }

        @Test
        void leavesTheNextResponsesBytesUnread() {
            HttpResponseReader reader = new HttpResponseReader();
            reader.reset(true, false);
            ByteBuffer two = ByteBuffer.wrap("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nnoHTTP/1.1"
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(reader.read(two)).isTrue();
            assertThat(reader.status()).isEqualTo(404);
            assertThat(two.remaining()).isEqualTo("HTTP/1.1".length());
        }
    }

    @Nested
    class WhenTheBodyIsChunked {
        @Test
        void joinsTheChunksAndSkipsExtensionsAndTrailers() {
            for (int step : new int[] {1, 3, 7, 1000}) {
                HttpResponseReader reader = readInPieces(CHUNKED, step, true);
                assertThat(new String(reader.body(), StandardCharsets.ISO_8859_1)).isEqualTo("#EXTMU3\n");
                assertThat(reader.bodyBytes()).isEqualTo(8);
            }
        }

        @Test
        void refusesAChunkWithoutItsCrlf() {
            HttpResponseReader reader = new HttpResponseReader();
            reader.reset(true, false);
            ByteBuffer bad = ByteBuffer.wrap("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThatThrownBy(() -> reader.read(bad)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aResponseWithoutLengthEndsWithTheConnection() {
        HttpResponseReader reader = new HttpResponseReader();
        reader.reset(true, false);
        assertThat(reader.read(ByteBuffer.wrap("HTTP/1.1 200 OK\r\n\r\nbody".getBytes(StandardCharsets.ISO_8859_1))))
                .isFalse();
        assertThat(reader.closed()).isTrue();
        assertThat(new String(reader.body(), StandardCharsets.ISO_8859_1)).isEqualTo("body");
        assertThat(reader.keepAlive()).isFalse();
    }

    @Test
    void connectionCloseEndsKeepAliveAndA204HasNoBody() {
        HttpResponseReader reader = readInPieces("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", 4, true);
        assertThat(reader.status()).isEqualTo(204);
        assertThat(reader.keepAlive()).isFalse();
        assertThat(reader.bodyBytes()).isZero();
    }

    @Test
    void refusesSomethingThatIsNotHttp() {
        HttpResponseReader reader = new HttpResponseReader();
        reader.reset(false, false);
        assertThatThrownBy(() -> reader.read(ByteBuffer.wrap("SSH-2.0-OpenSSH\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)))).hasMessageContaining("not an HTTP/1.x status line");
    }
}
