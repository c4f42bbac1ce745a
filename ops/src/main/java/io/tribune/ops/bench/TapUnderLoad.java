package io.tribune.ops.bench;

import io.tribune.events.MediaTaps;
import io.tribune.platform.KafkaComponent;
import io.tribune.platform.RedisComponent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * {@code bench sfu --tap}: a Kafka broker and a Redis in this JVM (not the SFU's process, so their CPU is not
 * counted as the SFU's: in production they are other machines), the node configured to use them, and the
 * {@code record_start}/{@code record_stop} commands the api-server would publish, so the same room is measured
 * with and without its media tap in alternating windows. Not thread-safe.
 */
final class TapUnderLoad implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final KafkaComponent kafka;
    private final RedisComponent redis;
    private final String compression;
    private final int lingerMillis;
    private RedissonClient client;
    private int recordings;

    /** @param compression the node's {@code kafka.compression}; {@code lingerMillis} its {@code kafka.linger} */
    TapUnderLoad(Path dir, String compression, int lingerMillis) throws Exception {
        this.compression = compression;
        this.lingerMillis = lingerMillis;
        kafka = new KafkaComponent(dir, 0);
        redis = new RedisComponent(dir, 0);
        try {
            redis.start();
            kafka.start();
            Config config = new Config();
            config.useSingleServer().setAddress(redisUri());
            client = Redisson.create(config);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private String redisUri() {
        return "redis://127.0.0.1:" + redis.port();
    }

    /** The node's configuration sections that point it at this Kafka and Redis. */
    void configure(Map<String, Object> root) {
        root.put("redis", Map.of("uri", redisUri()));
        root.put("kafka", Map.of("bootstrapServers", kafka.bootstrapServers(), "compression", compression,
                "linger", lingerMillis + " milliseconds"));
    }

    /** Starts recording the room (a new recording id each time). */
    void start(String room) {
        recordings++;
        command(room, "{\"action\":\"" + MediaTaps.RECORD_START + "\",\"recording_id\":\"bench-" + recordings + "\"}");
    }

    void stop(String room) {
        command(room, "{\"action\":\"" + MediaTaps.RECORD_STOP + "\",\"recording_id\":\"bench-" + recordings + "\"}");
    }

    private void command(String room, String json) {
        client.getTopic("tribune:meeting:{" + room + "}:sfu-control", StringCodec.INSTANCE).publish(json);
    }

    /** The node's {@code sfu_media_tap_packets_total} and {@code sfu_media_tap_dropped_packets_total}. */
    static long[] counters(String admin) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/prometheus"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        long[] out = new long[2];
        for (String line : text.split("\n")) {
            if (line.startsWith("sfu_media_tap_packets_total ")) {
                out[0] = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("sfu_media_tap_dropped_packets_total ")) {
                out[1] = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (client != null) {
            client.shutdown();
        }
        kafka.stop();
        redis.stop();
    }
}
