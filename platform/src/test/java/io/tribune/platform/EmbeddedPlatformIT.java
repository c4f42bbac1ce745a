package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribune.platform.internal.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class EmbeddedPlatformIT {

    @TempDir
    Path dataDir;

    @Test
    void startsEveryPartRestartsStoppedOneAndCloseLeavesNoPortBound() throws Exception {
        List<Integer> ports;
        try (EmbeddedPlatform platform = EmbeddedPlatform.builder().dataDir(dataDir).build()) {
            long startNanos = System.nanoTime();
            platform.start();
            System.out.printf("embedded platform (parallel) started in %d ms%n",
                    (System.nanoTime() - startNanos) / 1_000_000);

            assertThat(platform.components()).extracting(Component::name)
                    .containsExactly("postgres", "kafka", "redis", "s3");
            assertThat(platform.components()).allMatch(Component::isRunning);
            PlatformUrls urls = platform.urls();
            assertThat(urls.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + platform.postgres().port()
                    + "/tribune");
            assertThat(urls.kafkaBootstrap()).isEqualTo("127.0.0.1:" + platform.kafka().port());
            assertThat(urls.redisUri()).isEqualTo("redis://127.0.0.1:" + platform.redis().port());
            assertThat(urls.s3Endpoint()).isEqualTo("http://127.0.0.1:" + platform.s3().port());
            assertThat(urls.s3Region()).isEqualTo("us-east-1");

            assertPostgresAnswers(urls);
            assertKafkaAnswers(urls);
            assertThat(redisPing(platform.redis().port())).isEqualTo("+PONG");
            try (S3Client s3 = S3ComponentIT.client(platform.s3(), urls.s3AccessKey(), urls.s3SecretKey())) {
                assertThat(s3.listBuckets().buckets()).isEmpty();
            }
            ports = platform.components().stream().map(Component::port).toList();
            assertThat(ports).doesNotHaveDuplicates().allMatch(Ports::isListening);

            platform.kafka().stop();
            platform.start();
            assertThat(platform.components()).allMatch(Component::isRunning);
            assertThat(platform.urls()).isEqualTo(urls);
        }
        assertThat(ports).noneMatch(Ports::isListening).allMatch(Ports::isFree);
    }

    @Test
    void externalRedisIsNotStartedAndItsUriIsReported() throws Exception {
        try (EmbeddedPlatform platform = EmbeddedPlatform.builder()
                .dataDir(dataDir)
                .externalRedis("redis://127.0.0.1:1")
                .build()) {
            platform.start();

            assertThat(platform.redis()).isNull();
            assertThat(platform.components()).extracting(Component::name).containsExactly("postgres", "kafka", "s3");
            assertThat(platform.urls().redisUri()).isEqualTo("redis://127.0.0.1:1");
            assertThat(dataDir.resolve("redis")).doesNotExist();
        }
    }

    @Test
    void refusesFixedPortInUseAndStopsTheOtherParts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            EmbeddedPlatform platform = EmbeddedPlatform.builder().dataDir(dataDir).kafkaPort(port).build();

            assertThatThrownBy(platform::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + port + " is already in use (kafka); set TRIBUNE_KAFKA_PORT or stop"
                            + " the other process");
            assertThat(platform.components()).noneMatch(Component::isRunning);
            platform.close();
        }
    }

    @Test
    void partFailingToStartStopsTheOthersAndNamesIt() throws Exception {
        try (RedisComponent holdsRedisDirectory = new RedisComponent(dataDir, 0)) {
            holdsRedisDirectory.start();
            EmbeddedPlatform platform = EmbeddedPlatform.builder().dataDir(dataDir).build();

            assertThatThrownBy(platform::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("embedded platform failed to start: redis: data directory");

            assertThat(platform.components()).noneMatch(Component::isRunning);
            assertThat(List.of(platform.postgres().port(), platform.kafka().port(), platform.s3().port()))
                    .noneMatch(port -> port != 0 && Ports.isListening(port));
            assertThat(holdsRedisDirectory.isRunning()).isTrue();
            platform.close();
        }
    }

    private static void assertPostgresAnswers(PlatformUrls urls) throws Exception {
        try (Connection connection = DriverManager.getConnection(urls.jdbcUrl(), urls.dbUser(), urls.dbPassword());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("tribune");
        }
    }

    private static void assertKafkaAnswers(PlatformUrls urls) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap()))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    /** PING over a raw socket: the reply line, e.g. "+PONG". */
    static String redisPing(int port) throws IOException {
        return redisCommand(port, "PING");
    }

    /** Sends one inline command (words separated by spaces) and returns the first reply line, e.g. "+OK". */
    static String redisCommand(int port, String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                reply.append((char) c);
            }
            return reply.toString();
        }
    }
}
