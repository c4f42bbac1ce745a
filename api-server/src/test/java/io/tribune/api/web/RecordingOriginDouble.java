package io.tribune.api.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tribune.common.cdn.CloudFrontVerifier;
import io.tribune.common.cdn.CloudFrontVerifier.Verdict;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The media origin's recordings side as the browser sees it (hls-packager's, which api-server's tests cannot start:
 * services never depend on each other): {@code GET <base>/recordings/...} answered from S3 with byte ranges (206),
 * only with a valid CloudFront-style signed URL (checked by common's {@link CloudFrontVerifier}, as the real
 * origin does), CORS for the web client's fetch of the WebVTT file, {@code Content-Disposition: attachment} for
 * {@code ?download=1}. Remembers every request and its status for the test's assertions. Thread-safe.
 */
final class RecordingOriginDouble implements AutoCloseable {

    /** One request the origin answered. */
    record Served(String path, int status) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final S3Client s3;
    private final String bucket;
    private final CloudFrontVerifier verifier;
    private final List<Served> served = new CopyOnWriteArrayList<>();

    RecordingOriginDouble(S3Client s3, String bucket, String keyPairId, PublicKey publicKey) throws IOException {
        this.s3 = s3;
        this.bucket = bucket;
        this.verifier = new CloudFrontVerifier(Map.of(keyPairId, publicKey), Clock.systemUTC());
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/recordings/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Served> served() {
        return List.copyOf(served);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            if (origin != null) {
                exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
                exchange.getResponseHeaders().set("Vary", "Origin");
            }
            String path = exchange.getRequestURI().getRawPath();
            if (exchange.getRequestMethod().equals("OPTIONS")) {
                exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
                exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Range");
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            Verdict verdict = verifier.verifyUrl(baseUrl() + path + (query == null ? "" : "?" + query),
                    exchange.getRemoteAddress().getAddress().getHostAddress());
            if (!verdict.allowed()) {
                reply(exchange, path, 403, "refused: " + verdict);
                return;
            }
            String key = path.substring(1);
            String range = exchange.getRequestHeaders().getFirst("Range");
            GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
            if (range != null) {
                request.range(range);
            }
            try (ResponseInputStream<GetObjectResponse> object = s3.getObject(request.build())) {
                GetObjectResponse meta = object.response();
                exchange.getResponseHeaders().set("Content-Type", meta.contentType());
                exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
                if (query != null && ("&" + query + "&").contains("&download=1&")) {
                    exchange.getResponseHeaders().set("Content-Disposition",
                            "attachment; filename=\"" + key.substring(key.lastIndexOf('/') + 1) + "\"");
                }
                int status = 200;
                if (range != null && meta.contentRange() != null) {
                    status = 206;
                    exchange.getResponseHeaders().set("Content-Range", meta.contentRange());
                }
                boolean head = exchange.getRequestMethod().equals("HEAD");
                exchange.sendResponseHeaders(status, head ? -1 : meta.contentLength());
                served.add(new Served(path, status));
                if (!head) {
                    try (OutputStream out = exchange.getResponseBody(); InputStream in = object) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // The player cancelled a range it no longer needed.
                    }
                }
            } catch (NoSuchKeyException e) {
                reply(exchange, path, 404, "no such object");
            } catch (S3Exception e) {
                reply(exchange, path, e.statusCode() == 416 ? 416 : 502, e.getMessage());
            }
        } finally {
            exchange.close();
        }
    }

    private void reply(HttpExchange exchange, String path, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        served.add(new Served(path, status));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
